"""Pages of accounts: the Organisation pages (users, units, staff lists; admins) and API tokens."""
