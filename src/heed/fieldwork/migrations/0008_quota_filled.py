"""Quota.filled: each quota's fill kept as a number (``heed.fieldwork.quota_counting``), counted from the
memberships for the quotas that exist."""

from django.db import migrations, models
from django.db.models import Count, Q


def _count_fills(apps, schema_editor):
    quota_model = apps.get_model("fieldwork", "Quota")
    membership = apps.get_model("fieldwork", "QuotaMembership")
    counted = (
        membership.objects.filter(counted=True)
        .filter(~Q(response__review_state="rejected"))
        .values("quota_id")
        .annotate(n=Count("id"))
        .values_list("quota_id", "n")
    )
    for quota_id, n in counted:
        quota_model.objects.filter(id=quota_id).update(filled=n)


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0007_fewer_redundant_indexes"),
        ("responses", "0006_response_outcome_partial"),
    ]

    operations = [
        migrations.AddField(model_name="quota", name="filled", field=models.PositiveIntegerField(default=0)),
        migrations.RunPython(_count_fills, migrations.RunPython.noop),
    ]
