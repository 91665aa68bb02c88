"""What the interviewer app downloads to work offline: the caller's assigned surveys, each as its latest
published version's definition (all languages), its skip-logic rules and the respondent strings it needs
(``GET /api/fieldwork/forms``, contract 4 of the fieldwork helpers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from heed.accounts.selectors import organisation_id_of, organisation_of
from heed.fieldwork.selectors import assignment_list
from heed.surveys.conditions import client_rules
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, UI_STRINGS
from heed.surveys.selectors import survey_with_latest_version

if TYPE_CHECKING:
    from heed.accounts.models import User


def _title(public_titles: dict[str, str], strings: dict[str, str], brand: str, language: str) -> str:
    """The survey's public title in ``language``, else "<brand> survey" in it (never the analysts' title)."""
    return (public_titles or {}).get(language) or strings["survey_title"].replace("{brand}", brand)


def interviewer_forms(*, interviewer: User) -> dict[str, Any]:
    """``FormsOut`` as a dict: ``forms`` holds one entry per survey the interviewer is assigned (ordered by survey
    id), with its latest published version; surveys never published are left out. A closed survey stays listed
    (``status`` "closed") so that a device can still show the interviews it holds for it. One query per
    assigned survey (an interviewer holds a few)."""
    organisation = organisation_of(interviewer)
    units: dict[int, list[dict[str, Any]]] = {}
    for assignment in assignment_list(organisation_id=organisation_id_of(interviewer), interviewer_id=interviewer.pk):
        seen = {row["unit_id"] for row in units.get(assignment.survey_id, [])}
        if assignment.unit_id not in seen:
            units.setdefault(assignment.survey_id, []).append(
                {"assignment_id": assignment.id, "unit_id": assignment.unit_id, "unit_name": assignment.unit.name}
            )
    forms = []
    for survey_id in sorted(units):
        survey, version = survey_with_latest_version(organisation=organisation, survey_id=survey_id)
        if survey is None or version is None:
            continue
        definition: dict[str, Any] = version.definition
        languages = [code for code in definition.get("languages", []) if code in UI_STRINGS] or ["en"]
        strings = {code: dict(UI_STRINGS[code]) for code in languages}
        forms.append(
            {
                "survey_id": survey.id,
                "title": survey.title,
                "status": "published" if survey.status == survey.Status.PUBLISHED else "closed",
                "version": version.number,
                "definition": definition,
                "rules": client_rules(definition),
                "titles": {code: _title(survey.public_titles, strings[code], organisation.brand, code)
                           for code in languages},
                "strings": strings,
                "language_names": {code: SUPPORTED_LANGUAGES.get(code, code) for code in languages},
                "units": units[survey_id],
            }
        )  # fmt: skip
    return {"generated_at": timezone.now(), "brand": organisation.brand, "forms": forms}
