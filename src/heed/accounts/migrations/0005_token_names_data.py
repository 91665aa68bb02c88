"""Before live token names become unique per user: later live tokens of a clashing name get " (2)", ..."""

from django.db import migrations

from heed.core.migration_names import rename_clashes


def rename(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    rows = ApiToken.objects.filter(revoked_at__isnull=True).order_by("id")
    rename_clashes(rows, group=lambda token: token.user_id, max_length=100)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_codes_and_usernames_unique_whatever_case")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
