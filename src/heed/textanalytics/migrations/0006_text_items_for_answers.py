"""A text item for every existing open-text survey answer, and each annotation attached to its item."""

from django.db import migrations

CHUNK = 2000


def forwards(apps, schema_editor):
    Answer = apps.get_model("responses", "Answer")
    TextItem = apps.get_model("textanalytics", "TextItem")
    TextAnnotation = apps.get_model("textanalytics", "TextAnnotation")
    answers = (
        Answer.objects.filter(question_type="text", text_item__isnull=True)
        .exclude(text_value="")
        .order_by("id")
        .values_list("id", "text_value", "response__organisation_id", "response__unit_id", "response__language",
                     "response__submitted_at")
    )  # fmt: skip
    last = 0
    while True:
        rows = list(answers.filter(id__gt=last)[:CHUNK])
        if not rows:
            return
        last = rows[-1][0]
        TextItem.objects.bulk_create(
            [
                TextItem(organisation_id=org, unit_id=unit, source="survey_answer", source_ref=f"answer:{answer_id}",
                         answer_id=answer_id, language=(language or "")[:8], text=text, created_at=submitted_at)
                for answer_id, text, org, unit, language, submitted_at in rows
            ]  # fmt: skip
        )
        by_answer = {item.answer_id: item for item in TextItem.objects.filter(answer_id__in=[r[0] for r in rows])}
        annotations = list(TextAnnotation.objects.filter(answer_id__in=by_answer))
        for annotation in annotations:
            annotation.item_id = by_answer[annotation.answer_id].id
        TextAnnotation.objects.bulk_update(annotations, ["item"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("textanalytics", "0005_text_items"),
        ("responses", "0002_client_key_ledger"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
