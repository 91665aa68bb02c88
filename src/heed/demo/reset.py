"""Remove the demo organisation and everything it owns, through each app's ``*_delete_for_organisation``."""

from django.db import transaction

from heed.accounts.selectors import organisation_get_by_slug
from heed.accounts.services import organisation_delete
from heed.demo.seed import DEMO_SLUG
from heed.responses.services import responses_delete_for_organisation
from heed.surveys.services import surveys_delete_for_organisation


@transaction.atomic
def demo_delete() -> None:
    """Delete the demo organisation (slug ``DEMO_SLUG``) with its responses, surveys, users and units, in that
    order (a response protects its survey version; units go leaves first). Nothing happens if it does not exist."""
    organisation = organisation_get_by_slug(slug=DEMO_SLUG)
    if organisation is None:
        return
    responses_delete_for_organisation(organisation_id=organisation.id)
    surveys_delete_for_organisation(organisation_id=organisation.id)
    organisation_delete(organisation_id=organisation.id)
