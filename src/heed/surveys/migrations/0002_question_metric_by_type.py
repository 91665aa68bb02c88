"""A question's type now decides its headline metric when "Headline metric" is left empty.

Before, an empty metric meant "no metric". Drafts that tagged one question of a type explicitly
(e.g. the first of several CSAT questions) keep their meaning: the other questions of that type
with an empty metric are set to "none". Drafts that tagged nothing now count their NPS/CSAT/CES
question, which is the fix. Published versions are not touched: their mapping is corrected (and
their responses re-derived) from the builder or ``POST /api/surveys/{id}/versions/{n}/metrics``.
"""

from django.db import migrations

METRICS = ("nps", "csat", "ces")


def keep_explicit_choices(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    tagged = set(
        Question.objects.filter(metric__in=METRICS).values_list("survey_id", "metric").distinct()
    )
    for survey_id, metric in tagged:
        Question.objects.filter(survey_id=survey_id, type=metric, metric="").update(metric="none")


def restore_empty(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    Question.objects.filter(metric="none").update(metric="")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(keep_explicit_choices, restore_empty)]
