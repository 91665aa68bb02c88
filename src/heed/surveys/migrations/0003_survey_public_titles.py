"""A survey's public title per language: the name respondents see (page titles), apart from the analysts' own
title, which respondents never see. Empty for existing surveys, whose respondents see "<brand> survey"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_question_metric_by_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="public_titles",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
