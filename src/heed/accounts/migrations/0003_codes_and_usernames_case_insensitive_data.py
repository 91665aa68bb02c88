"""Before codes and usernames become unique whatever their case: resolve the clashes already stored.

Unit codes that differ only by case (HR-03, hr-03) keep the first unit's code; later units get
``-2``, ``-3``, ... appended (they stay findable by name). Usernames that differ only by case are
not renamed (that would lock people out): the migration stops and names them for the operator."""

from django.db import migrations

from heed.core.migration_names import rename_clashes


def resolve_clashes(apps, schema_editor):
    Unit = apps.get_model("accounts", "Unit")
    User = apps.get_model("accounts", "User")
    units = Unit.objects.order_by("organisation_id", "id")
    rename_clashes(units, group=lambda unit: unit.organisation_id, max_length=40, field="code", suffix="-{}")
    seen: dict[str, str] = {}
    clashes = []
    for username in User.objects.order_by("id").values_list("username", flat=True):
        if username.lower() in seen:
            clashes.append(f"{seen[username.lower()]} / {username}")
        seen.setdefault(username.lower(), username)
    if clashes:
        raise RuntimeError(
            "Usernames must be unique whatever their case; rename one of each pair first: " + ", ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_unit_closed_at")]

    operations = [migrations.RunPython(resolve_clashes, migrations.RunPython.noop)]
