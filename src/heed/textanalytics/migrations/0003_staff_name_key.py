"""Staff members get a comparable name key (heed.core.names.name_key), unique per unit.

Members already stored twice on one unit under the same name keep their rows (their mentions point
at them); the later ones get their id appended to the key, so the constraint holds and the admin can
merge them by taking one off the list."""

from django.db import migrations, models

from heed.core.names import name_key


def fill_name_keys(apps, schema_editor):
    StaffMember = apps.get_model("textanalytics", "StaffMember")
    seen: set[tuple[int, str]] = set()
    for member in StaffMember.objects.order_by("id"):
        key = name_key(member.first_name, member.last_name)
        if (member.unit_id, key) in seen:
            key = f"{key} #{member.id}"
        seen.add((member.unit_id, key))
        member.name_key = key
        member.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    dependencies = [("textanalytics", "0002_training_runs")]

    operations = [
        migrations.AddField(
            model_name="staffmember",
            name="name_key",
            field=models.CharField(
                default="",
                help_text="first and last name trimmed, casefolded, without accents (heed.core.names)",
                max_length=200,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
