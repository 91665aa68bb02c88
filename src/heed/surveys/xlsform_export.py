"""XLSForm export: a survey version's definition as an XLSForm workbook (.xlsx) that ``pyxform`` converts, and
that ``heed.surveys.xlsform_import`` reads back into the same definition.

Sheets: ``survey`` (``type``, ``name``, one ``label::Name (code)`` per language, ``required``, ``relevant``,
``constraint``, ``parameters``, ``heed_type``, ``heed_metric``), ``choices`` (``list_name`` = the question's key,
``name``, labels) and ``settings`` (``form_title``, ``form_id``, ``version``, ``default_language``).

- Choice questions → ``select_one`` / ``select_multiple``; numbers → ``decimal`` with ``. >= min and . <= max``;
  text and dates as they are; a rating scale (NPS, CSAT, CES, agreement, rating) → ``range`` from min to max in
  steps of 1, or, when it has labelled points, ``select_one`` with every point (a point without a label shows
  its number). ``heed_type`` names Heed's type where XLSForm has none (scales and demographics), ``heed_metric``
  the headline metric (``none`` for an NPS/CSAT/CES question that counts for none).
- Skip logic → ``relevant`` (``heed.surveys.xlsform_relevant.write_relevant``).
- Every cell is written as text (never a formula), so a label such as ``=HYPERLINK(…)`` or ``+1 …`` is shown as
  written and never evaluated by a spreadsheet program (formula injection).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from heed.core.errors import ApplicationError
from heed.surveys.definition import CHOICE_TYPES, DEMOGRAPHIC_TYPES, METRICS, SCALE_TYPES, QuestionDef, SurveyDefinition
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES
from heed.surveys.selectors import survey_version_get, version_definition
from heed.surveys.services import survey_definition_build
from heed.surveys.xlsform_import import HEED_METRIC_COLUMN, HEED_SCREENING_COLUMN, HEED_TYPE_COLUMN
from heed.surveys.xlsform_relevant import MULTI, OTHER, WHOLE, WriteError, write_relevant

if TYPE_CHECKING:
    from heed.surveys.models import Survey

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class XLSFormFile:
    content: bytes
    filename: str
    version: str


def survey_xlsform(*, survey: Survey, number: int | None = None) -> XLSFormFile:
    """The XLSForm of ``survey``'s version ``number`` (default: the latest; the draft when none is published).

    ``form_id`` is ``heed_survey_<id>``, ``version`` the version's number (``draft`` for the draft). Raises
    ``NotFoundError`` for a version the survey does not have and ``ApplicationError`` when the draft is not a
    valid questionnaire yet or a rule has no XLSForm form.
    """
    version = survey_version_get(survey=survey, number=number)
    definition = version_definition(version) if version is not None else survey_definition_build(survey=survey)
    label = str(version.number) if version is not None else "draft"
    content = definition_to_xlsform(definition, form_id=f"heed_survey_{survey.id}", version=label)
    filename = f"{slugify(survey.title)[:60] or 'survey'}-{'v' + label if version is not None else label}.xlsx"
    return XLSFormFile(content, filename, label)


def language_column(code: str) -> str:
    """An XLSForm language name with its code, as ODK tools expect it: ``Italiano (it)``."""
    return f"{SUPPORTED_LANGUAGES.get(code, code)} ({code})"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _append(sheet: Worksheet, values: list[Any]) -> None:
    """A row of text cells: a value is never stored as a formula, whatever it starts with."""
    sheet.append(["" if value is None else str(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if cell.value is not None:
            cell.data_type = "s"


def _kinds(definition: SurveyDefinition) -> dict[str, str]:
    return {
        q.key: MULTI if q.type == "multiple_choice" else WHOLE if q.type in SCALE_TYPES else OTHER
        for q in definition.questions
    }


def _scale_choices(question: QuestionDef) -> list[tuple[str, dict[str, str]]]:
    """Every point of a labelled scale, with its label or its number; options that are no point follow."""
    labelled = {option.value: option.labels for option in question.options}
    low, high = math.ceil(question.min or 0), math.floor(question.max or 0)
    points = [str(point) for point in range(low, high + 1)]
    choices = [(point, labelled.get(point) or {}) for point in points]
    return choices + [(value, labels) for value, labels in labelled.items() if value not in points]


def _row(
    question: QuestionDef, languages: list[str], relevant: str, screening: str = ""
) -> tuple[list[Any], list[list[Any]]]:
    """The survey row of a question and its choice rows."""
    constraint, parameters, choices = "", "", []
    heed_type = question.type if question.type in SCALE_TYPES | DEMOGRAPHIC_TYPES else ""
    if question.type in CHOICE_TYPES:
        xls_type = f"{'select_multiple' if question.type == 'multiple_choice' else 'select_one'} {question.key}"
        choices = [(o.value, o.labels) for o in question.options]
    elif question.type in SCALE_TYPES and question.options:
        xls_type = f"select_one {question.key}"
        choices = [(value, labels or {lang: value for lang in languages}) for value, labels in _scale_choices(question)]
    elif question.type in SCALE_TYPES:
        xls_type = "range"
        parameters = f"start={_number(question.min or 0)} end={_number(question.max or 0)} step=1"
    elif question.type == "number":
        xls_type = "decimal"
        bounds = [f". >= {_number(question.min)}" if question.min is not None else "",
                  f". <= {_number(question.max)}" if question.max is not None else ""]  # fmt: skip
        constraint = " and ".join(bound for bound in bounds if bound)
    else:
        xls_type = question.type
    metric = question.metric or ("none" if question.type in METRICS else "")
    row = [xls_type, question.key, *[question.texts.get(lang, "") for lang in languages]]
    row += ["yes" if question.required else "", relevant, constraint, parameters, heed_type, metric, screening]
    choice_rows = [[question.key, value, *[labels.get(lang, "") for lang in languages]] for value, labels in choices]
    return row, choice_rows


def definition_to_xlsform(definition: SurveyDefinition, *, form_id: str, version: str) -> bytes:
    """The XLSForm workbook (.xlsx bytes) of ``definition``; ``form_id`` and ``version`` go to the settings.

    Raises ApplicationError (code ``xlsform_export``) when a rule has no XLSForm form (a value holding both
    quote marks, "is not" on a multiple-choice question).
    """
    languages = list(definition.languages)
    labels = [f"label::{language_column(code)}" for code in languages]
    book = Workbook()
    survey = book.active
    assert survey is not None  # a new workbook has one sheet
    survey.title = "survey"
    choices = book.create_sheet("choices")
    settings = book.create_sheet("settings")
    _append(survey, ["type", "name", *labels, "required", "relevant", "constraint", "parameters",
                     HEED_TYPE_COLUMN, HEED_METRIC_COLUMN, HEED_SCREENING_COLUMN])  # fmt: skip
    _append(choices, ["list_name", "name", *labels])
    kinds = _kinds(definition)
    for question in definition.questions:
        rule, screening = question.rule(), question.screening_rule()
        try:
            relevant = write_relevant(rule, kinds) if rule else ""
            screens = write_relevant(screening, kinds) if screening else ""
        except WriteError as error:
            raise ApplicationError(
                f"Question {question.key}: its skip logic cannot be written as XLSForm ({error}).",
                code="xlsform_export",
            ) from None
        row, choice_rows = _row(question, languages, relevant, screens)
        _append(survey, row)
        for choice_row in choice_rows:
            _append(choices, choice_row)
    _append(settings, ["form_title", "form_id", "version", "default_language"])
    _append(settings, [definition.title, form_id, version, language_column(definition.default_language)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
