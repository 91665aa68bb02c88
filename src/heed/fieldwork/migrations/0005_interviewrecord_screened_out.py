"""Interview records learn whether the interview was screened out (not eligible), so speeding compares only
completed eligible interviews and never checks a screen-out. Existing records of screened-out responses are marked,
lose their speeding status and ``speeding`` flag, and their surveys are queued for a flag recomputation (the
medians of the other interviews included the screen-outs)."""

from django.db import migrations, models
from django.utils import timezone


def mark_screened_out(apps, schema_editor):
    record_model = apps.get_model("fieldwork", "InterviewRecord")
    flag_model = apps.get_model("fieldwork", "Flag")
    stale_model = apps.get_model("fieldwork", "SurveyFlagsStale")
    records = record_model.objects.filter(response__outcome="screened_out")
    surveys = dict(records.values_list("survey_id", "organisation_id").distinct())
    if not surveys:
        return
    records.update(screened_out=True, speeding_status="")
    flag_model.objects.filter(code="speeding", response__outcome="screened_out").delete()
    now = timezone.now()
    for survey_id, organisation_id in surveys.items():
        stale_model.objects.update_or_create(survey_id=survey_id,
                                             defaults={"organisation_id": organisation_id, "since": now})


class Migration(migrations.Migration):

    dependencies = [
        ('fieldwork', '0004_survey_flags_stale'),
        ('responses', '0006_response_outcome_partial'),
    ]

    operations = [
        migrations.AddField(
            model_name='interviewrecord',
            name='screened_out',
            field=models.BooleanField(default=False, help_text='ended by a screening question: not eligible'),
        ),
        migrations.AlterField(
            model_name='interviewrecord',
            name='speeding_status',
            field=models.CharField(blank=True, help_text='ok, speeding or insufficient_data; empty when not checked: no duration, broken off, screened out', max_length=20),
        ),
        migrations.RunPython(mark_screened_out, migrations.RunPython.noop),
    ]
