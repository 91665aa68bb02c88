"""Before scheme names become unique per survey: later schemes of a clashing name get " (2)", ..."""

from django.db import migrations

from heed.core.migration_names import rename_clashes


def rename(apps, schema_editor):
    WeightingScheme = apps.get_model("analytics", "WeightingScheme")
    rename_clashes(WeightingScheme.objects.order_by("id"), group=lambda scheme: scheme.survey_id, max_length=120)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0003_weighting_unmatched_policy")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
