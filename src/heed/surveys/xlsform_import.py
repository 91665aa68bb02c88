"""XLSForm import: an XLSForm workbook (.xlsx) becomes a Heed draft survey, or is refused row by row.

The workbook is read with ``pyxform`` 4.5.0 (never ODK Validate, so no Java): first its rows are checked for
what Heed cannot hold (every problem at once, one plain line per row), then ``pyxform`` turns it into its form
dictionary, which is mapped to Heed's draft questions:

- ``select_one`` → single choice, ``select_multiple`` → multiple choice (the ``choices`` sheet's names are the
  option values), ``integer`` / ``decimal`` → number, ``text``, ``date``, ``range`` (whole steps of 1) →
  rating; ``begin_group`` / ``end_group`` are flattened (a group's ``relevant`` applies to its questions);
- ``note`` rows and metadata rows (``start``, ``end``, ``today``, ``deviceid``, ``audit``, ...) are skipped and
  listed in the report: Heed has no statement-only question and records times itself;
- ``label::Name (code)`` columns become the survey's languages (codes Heed offers; a name alone is matched
  against the languages' names); the settings' ``default_language`` becomes the default language;
- ``relevant`` becomes the question's ``show_if`` (see ``heed.surveys.xlsform_relevant``); ``required`` yes/no;
  ``constraint`` of the form ``. >= a``, ``. <= b`` or both (joined with ``and``) sets a number's min and max;
- a name such as ``Q-1.a`` becomes the key ``q_1_a`` (a-z, 0-9, _), listed in the report;
- ``repeat``, ``calculate``, ``choice_filter``, defaults, other types, other ``required`` and ``constraint``
  expressions, and ``relevant`` expressions Heed cannot say refuse the import, e.g.
  ``survey row 7: relevant "${a} + ${b} > 3" uses "+", which Heed does not support yet``.

Two extra columns, written by Heed's own export (``heed.surveys.xlsform_export``) and ignored by ODK, keep
what XLSForm cannot say: ``heed_type`` (NPS, CSAT, CES, agreement scale, rating, age group, gender, region)
and ``heed_metric`` (the headline metric, or ``none``), so a Heed survey exported and imported again is the
same definition; a third, ``heed_screen_out_if``, holds a screening rule as a ``relevant``-style expression.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext, ngettext
from pydantic import ValidationError
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from heed.core import languages as language_registry
from heed.core.errors import ApplicationError
from heed.surveys.definition import (
    CHOICE_TYPES,
    FIXED_SCALES,
    METRIC_NONE,
    METRICS,
    SCALE_TYPES,
    SurveyDefinition,
    resolve_metric,
)
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES
from heed.surveys.models import Question
from heed.surveys.services import survey_create
from heed.surveys.xlsform_relevant import MULTI, OTHER, WHOLE, RelevantError, parse_relevant

if TYPE_CHECKING:
    from heed.accounts.models import Organisation, User
    from heed.surveys.models import Survey

MAX_XLSFORM_BYTES = 1024 * 1024
"""Largest workbook accepted (1 MiB, the pages' body limit): a questionnaire of a few hundred rows is far
smaller."""
MAX_ROWS = 1000
"""Most rows a survey sheet may have."""

HEED_TYPE_COLUMN = "heed_type"
HEED_METRIC_COLUMN = "heed_metric"
HEED_SCREENING_COLUMN = "heed_screen_out_if"
"""Screening (``screen_out_if``) as an XLSForm expression like ``relevant``, over this and earlier questions."""
HEED_TYPES = SCALE_TYPES | {"age_group", "gender", "region"}

_METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email", "audit",
    "start-geopoint", "start_geopoint", "uri:deviceid", "uri:email", "uri:username", "uri:phonenumber",
}  # fmt: skip
_GROUPS = {"begin_group", "end_group", "begin group", "end group"}
_REPEATS = {"begin_repeat", "end_repeat", "begin repeat", "end repeat"}
_SIMPLE_TYPES = {"integer", "decimal", "text", "date", "note", "range", "calculate"}
_SELECTS = {"select_one": "select_one", "select one": "select_one", "select_multiple": "select_multiple",
            "select all that apply": "select_multiple", "select_all_that_apply": "select_multiple"}  # fmt: skip
_REFUSED_COLUMNS = ("choice_filter", "calculation", "repeat_count", "default", "trigger")
_TRUE = {"yes", "true", "true()"}
_FALSE = {"", "no", "false", "false()"}
_KEY_CHARS = re.compile(r"[^a-z0-9]+")
_LANGUAGE_CODE = re.compile(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\s*\)\s*$")
_BOUND = r"\.\s*(<=|>=)\s*(-?(?:\d+(?:\.\d*)?|\.\d+))"
_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_CONSTRAINT = re.compile(rf"^\s*{_BOUND}\s*(?:and\s*{_BOUND}\s*)?$")


class XLSFormRefusedError(ApplicationError):
    """The workbook cannot become a Heed survey; ``extra["problems"]`` has one plain line per problem (422)."""

    status_code = 422

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        summary = ngettext(
            "The XLSForm was not imported: %(count)d problem to fix.",
            "The XLSForm was not imported: %(count)d problems to fix.",
            count,
        ) % {"count": count}
        super().__init__(f"{summary} " + " ".join(problems), code="xlsform_refused", extra={"problems": problems})


@dataclass
class ImportReport:
    """What the import changed or left out: ``renamed`` (XLSForm name, Heed key) and ``notes`` (plain lines)."""

    renamed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        renamed = [
            gettext("The name {name} became the key {key}.").format(name=name, key=key) for name, key in self.renamed
        ]
        return renamed + self.notes


@dataclass
class ImportedForm:
    title: str
    languages: list[str]
    default_language: str
    questions: list[dict[str, Any]]
    report: ImportReport


def heed_key(name: str) -> str:
    """The Heed key of an XLSForm name: lower case, runs of other characters as ``_``, a letter first, at most
    40 characters (``Q-1.a`` → ``q_1_a``, ``1st`` → ``q_1st``)."""
    key = _KEY_CHARS.sub("_", name.strip().lower()).strip("_") or "q"
    if not key[0].isalpha():
        key = f"q_{key}"
    return key[:40].rstrip("_")


def _row_type(raw: Any) -> tuple[str, str]:
    """``(base type, choice list)`` of a survey row's ``type`` cell (``select_one yes_no`` → select_one, yes_no)."""
    text = " ".join(str(raw or "").split()).lower() if raw else ""
    for alias, base in _SELECTS.items():
        if text.startswith(alias + " "):
            return base, str(raw).split()[-1]
    return text, ""


def _cell(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


class _Reader:
    """Collects the problems of one workbook, then maps its pyxform dictionary."""

    def __init__(self, organisation_language: str) -> None:
        self.problems: list[str] = []
        self.report = ImportReport()
        self.organisation_language = organisation_language
        self.keys: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.numbers: dict[str, int] = {}
        self.rules: dict[str, dict[str, Any] | None] = {}
        self.screenings: dict[str, dict[str, Any] | None] = {}

    def refuse(self, row: int, message: str) -> None:
        self.problems.append(gettext("survey row {row}: {problem}").format(row=row, problem=message))

    # --- first pass: rows ------------------------------------------------------------------------------------

    def check_rows(self, rows: list[dict[str, Any]]) -> None:
        """Refuse the rows Heed cannot hold; give each question row its key (``keys``), its row number
        (``numbers``) and its skip-logic rule (``rules``, its groups' rules included)."""
        groups: list[dict[str, Any] | None] = []
        for index, row in enumerate(rows):
            number = index + 2  # row 1 is the header
            if not row:
                continue
            base, _list_name = _row_type(row.get("type"))
            name = _cell(row, "name")
            self._check_row(row, base, number)
            rule = self._rule(_cell(row, "relevant"), number) if _cell(row, "relevant") else None
            if base in ("begin_group", "begin group"):
                groups.append(_both(groups[-1] if groups else None, rule))
            elif base in ("end_group", "end group"):
                groups = groups[:-1]
            elif name and base not in _METADATA | {"note", "calculate"} | _REPEATS:
                self._name(name, base, _cell(row, HEED_TYPE_COLUMN), number)
                self.rules[name] = _both(groups[-1] if groups else None, rule)
                screening = _cell(row, HEED_SCREENING_COLUMN)
                self.screenings[name] = self._rule(screening, number) if screening else None
            elif name:
                self.numbers.setdefault(name, number)

    def _check_row(self, row: dict[str, Any], base: str, number: int) -> None:
        if base in _REPEATS:
            self.refuse(number, gettext("a repeat, which Heed does not support yet"))
        elif base == "calculate":
            self.refuse(number, gettext("a calculation, which Heed does not support yet"))
        elif base and base not in _SIMPLE_TYPES | _GROUPS | _METADATA and base not in _SELECTS.values():
            self.refuse(number, gettext('type "{type}", which Heed does not support yet').format(type=row.get("type")))
        for column in _REFUSED_COLUMNS:
            if _cell(row, column) and base != "calculate":
                self.refuse(number, gettext("{column}, which Heed does not support yet").format(column=column))
        required = _cell(row, "required").lower()
        if required not in _TRUE | _FALSE:
            message = gettext('required "{value}", which Heed does not support yet (only yes or no)')
            self.refuse(number, message.format(value=_cell(row, "required")))
        constraint = _cell(row, "constraint")
        if constraint and (base not in ("integer", "decimal") or _constraint_bounds(constraint) is None):
            message = gettext('constraint "{constraint}", which Heed does not support yet (only . >= a and . <= b)')
            self.refuse(number, message.format(constraint=constraint))

    def _name(self, name: str, base: str, heed_type: str, number: int) -> None:
        key = heed_key(name)
        while key in self.keys.values():
            key = f"{key[:36]}_{len(self.keys)}"
        self.keys[name], self.numbers[name] = key, number
        if base == "select_multiple":
            self.kinds[name] = MULTI
        elif base == "range" or heed_type in SCALE_TYPES:
            self.kinds[name] = WHOLE
        else:
            self.kinds[name] = OTHER

    def _resolve(self, name: str) -> tuple[str, str]:
        if name not in self.keys:
            raise RelevantError("unknown_question", name=name)
        return self.keys[name], self.kinds[name]

    def _rule(self, expression: str, row: int) -> dict[str, Any] | None:
        try:
            return parse_relevant(expression, self._resolve)
        except RelevantError as error:
            self.refuse(row, _relevant_problem(expression, error))
            return None

    # --- languages -------------------------------------------------------------------------------------------

    def language_code(self, column_language: str) -> str | None:
        """Heed's code for an XLSForm language (``Italiano (it)``, ``Italian``); None (and a problem) if none."""
        if column_language == "default":
            return self.organisation_language
        match = _LANGUAGE_CODE.search(column_language)
        code = match.group(1).lower() if match else None
        if code is None:
            wanted = column_language.strip().casefold()
            for candidate in SUPPORTED_LANGUAGES:
                names = {name.casefold() for name in language_registry.get(candidate).names.values()}
                if wanted in names | {candidate}:
                    code = candidate
        if code not in SUPPORTED_LANGUAGES:
            message = gettext(
                'The language "{language}" is not one Heed offers ({offered}); write its column as '
                "label::Name (code), e.g. label::Italiano (it)."
            )
            problem = message.format(language=column_language, offered=", ".join(SUPPORTED_LANGUAGES))
            if problem not in self.problems:
                self.problems.append(problem)
            return None
        return code


def _constraint_bounds(text: str) -> tuple[float | None, float | None] | None:
    """``(min, max)`` of a simple constraint (``. >= 1``, ``. <= 9``, ``. >= 1 and . <= 9``), None otherwise."""
    match = _CONSTRAINT.match(text)
    if match is None:
        return None
    low: float | None = None
    high: float | None = None
    pairs = [(match.group(1), match.group(2)), (match.group(3), match.group(4))]
    for operator, number in pairs:
        if operator is None:
            continue
        if operator == ">=":
            low = float(number)
        else:
            high = float(number)
    return low, high


def _both(outer: dict[str, Any] | None, own: dict[str, Any] | None) -> dict[str, Any] | None:
    """A question's rule inside a group: the group's and its own, both holding."""
    if outer and own:
        return {"all": [outer, own]}
    return outer or own


def _children(element: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions of a pyxform element in order, with the groups flattened."""
    out: list[dict[str, Any]] = []
    for child in element.get("children", []):
        if child.get("type") == "group":
            if child.get("name") == "meta" and (child.get("control") or {}).get("bodyless"):
                continue
            out += _children(child)
        else:
            out.append(child)
    return out


def _texts(reader: _Reader, row: dict[str, Any]) -> dict[str, str]:
    """The labels of a raw sheet row by language code. Read from the row as written, not from pyxform's
    dictionary, which turns typographic quotes (’ “ ”) into straight ones."""
    texts = {}
    for column, value in row.items():
        base, _, language = str(column).partition("::")
        if base.strip() != "label" or value is None or not str(value).strip():
            continue
        code = reader.language_code(language.strip()) if language else reader.organisation_language
        if code:
            texts[code] = str(value).strip()
    return texts


def _read_workbook(data: bytes) -> Any:
    if len(data) > MAX_XLSFORM_BYTES:
        raise XLSFormRefusedError(
            [gettext("The file is larger than {size} KB.").format(size=MAX_XLSFORM_BYTES // 1024)]
        )
    try:
        return get_xlsform(xlsform=io.BytesIO(data))
    except Exception:  # an unreadable upload: openpyxl, xlrd and zipfile raise many kinds; say it plainly
        raise XLSFormRefusedError(
            [gettext("The file is not an XLSForm workbook Heed can read: save it as .xlsx and upload it again.")]
        ) from None


def xlsform_read(data: bytes, *, organisation_language: str) -> ImportedForm:
    """Read an XLSForm workbook (its bytes) into what a draft survey holds, without saving anything.

    ``organisation_language`` is the language of labels written without one (a plain ``label`` column).
    Raises ``XLSFormRefusedError`` (422, ``extra["problems"]``: one plain line per problem) when the file is
    too large (``MAX_XLSFORM_BYTES``), is not a workbook, or holds rows Heed cannot hold (see the module's
    docstring).
    """
    workbook = _read_workbook(data)
    reader = _Reader(organisation_language)
    rows = list(workbook.survey or [])
    if len(rows) > MAX_ROWS:
        raise XLSFormRefusedError([gettext("The survey sheet has more than {rows} rows.").format(rows=MAX_ROWS)])
    reader.check_rows(rows)
    if reader.problems:
        raise XLSFormRefusedError(reader.problems)
    try:
        form = workbook_to_json(workbook_dict=workbook, fallback_form_name=workbook.fallback_form_name, warnings=[])
    except PyXFormError as error:
        message = _PYXFORM_ROW.sub(lambda match: gettext("survey row {row}:").format(row=match.group(1)), str(error))
        raise XLSFormRefusedError([message.strip()]) from None
    except Exception:  # pyxform on a sheet it does not expect (wrong cell types, odd headers): say it plainly
        raise XLSFormRefusedError([gettext("pyxform cannot read this workbook as an XLSForm.")]) from None
    mapper = _Mapper(reader, workbook)
    questions = mapper.questions(form)
    languages = mapper.languages(workbook)
    settings = (workbook.settings or [{}])[0] if workbook.settings else {}
    default_language = (
        reader.language_code(str(settings.get("default_language"))) if settings.get("default_language") else None
    ) or (languages[0] if languages else organisation_language)
    if default_language not in languages:
        languages.insert(0, default_language)
    if not questions and not reader.problems:
        reader.problems.append(gettext("The survey sheet has no question Heed can import."))
    if reader.problems:
        raise XLSFormRefusedError(reader.problems)
    title = str(settings.get("form_title") or form.get("title") or form.get("id_string") or "XLSForm").strip()
    return ImportedForm(title[:200], languages, default_language, questions, reader.report)


class _Mapper:
    def __init__(self, reader: _Reader, workbook: Any) -> None:
        self.reader = reader
        self.rows = {_cell(row, "name"): row for row in workbook.survey or [] if row and _cell(row, "name")}
        self.choices = {
            (_cell(row, "list_name"), _cell(row, "name")): row for row in workbook.choices or [] if row
        }  # fmt: skip

    def languages(self, workbook: Any) -> list[str]:
        header = (workbook.survey_header or [{}])[0] if workbook.survey_header else {}
        codes: list[str] = []
        for column in header:
            base, _, language = str(column).partition("::")
            if base.strip() == "label":
                code = self.reader.language_code(language.strip()) if language else self.reader.organisation_language
                if code and code not in codes:
                    codes.append(code)
        return codes

    def questions(self, form: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for child in _children(form):
            name = str(child.get("name") or "")
            row = self.reader.numbers.get(name, 0)
            kind = str(child.get("type") or "")
            if kind in _METADATA or kind == "note":
                self.reader.report.notes.append(
                    gettext('survey row {row}: {type} "{name}" skipped: {reason}').format(
                        row=row, type=kind, name=name, reason=_skip_reason(kind)
                    )
                )
                continue
            question = self._question(child, row, name, kind)
            if question is None or name not in self.reader.keys:
                continue
            question["key"] = self.reader.keys[name]
            if question["key"] != name:
                self.reader.report.renamed.append((name, question["key"]))
            question["show_if"] = self.reader.rules.get(name)
            question["screen_out_if"] = self.reader.screenings.get(name)
            out.append(question)
        return out

    def _question(self, child: dict[str, Any], row: int, name: str, kind: str) -> dict[str, Any] | None:
        raw = self.rows.get(name, {})
        heed_type = _cell(raw, HEED_TYPE_COLUMN)
        metric = _cell(raw, HEED_METRIC_COLUMN)
        if heed_type and heed_type not in HEED_TYPES:
            self.reader.refuse(row, gettext('heed_type "{type}" is not a Heed question type').format(type=heed_type))
            return None
        if metric and metric not in (*METRICS, METRIC_NONE):
            self.reader.refuse(
                row, gettext('heed_metric "{metric}" is not nps, csat, ces or none').format(metric=metric)
            )
            return None
        texts = _texts(self.reader, raw)
        if not texts:
            self.reader.refuse(row, gettext('"{name}" has no label').format(name=name))
            return None
        question: dict[str, Any] = {"texts": texts, "options": [], "min_value": None, "max_value": None,
                                    "metric": metric, "required": self._required(child)}  # fmt: skip
        bind = child.get("bind") or {}
        if kind in ("select one", "select all that apply"):
            question["type"] = heed_type or ("single_choice" if kind == "select one" else "multiple_choice")
            question["options"] = self._options(child, row)
            if question["type"] in SCALE_TYPES:
                self._scale_from_choices(question)
        elif kind in ("integer", "decimal"):
            question["type"] = "number"
            if kind == "integer":
                self.reader.report.notes.append(
                    gettext("survey row {row}: the integer {name} is a Number in Heed (decimals are accepted)").format(
                        row=row, name=name
                    )
                )
        elif kind == "range":
            parameters = child.get("parameters") or {}
            try:
                low, high = int(parameters.get("start", 1)), int(parameters.get("end", 10))
                step = float(parameters.get("step", 1))
            except (TypeError, ValueError):
                low, high, step = 0, 0, 0
            if step != 1 or low >= high:
                self.reader.refuse(row, gettext("a range Heed can only ask in whole steps of 1 from start to end"))
                return None
            question.update(type=heed_type or "rating", min_value=float(low), max_value=float(high))
        elif kind in ("text", "date"):
            question["type"] = kind
        else:
            self.reader.refuse(row, gettext('type "{type}", which Heed does not support yet').format(type=kind))
            return None
        if question["type"] in FIXED_SCALES:
            question["min_value"], question["max_value"] = FIXED_SCALES[question["type"]]
        bounds = _constraint_bounds(str(bind.get("constraint") or ""))
        if bounds is not None and question["type"] == "number":
            question["min_value"], question["max_value"] = bounds
        if question["type"] in CHOICE_TYPES and not question["options"]:
            self.reader.refuse(row, gettext('"{name}" has no choices').format(name=name))
            return None
        return question

    @staticmethod
    def _required(child: dict[str, Any]) -> bool:
        return str((child.get("bind") or {}).get("required") or "").strip().lower() in _TRUE

    def _options(self, child: dict[str, Any], row: int) -> list[dict[str, Any]]:
        options = []
        for choice in child.get("choices") or []:
            value = str(choice.get("name") or "").strip()
            if not value or len(value) > 60:
                self.reader.refuse(
                    row, gettext('the choice "{value}" needs a name of 1 to 60 characters').format(value=value)
                )
                continue
            raw = self.choices.get((str(child.get("list_name") or ""), value), {})
            options.append({"value": value, "labels": _texts(self.reader, raw)})
        return options

    @staticmethod
    def _scale_from_choices(question: dict[str, Any]) -> None:
        """A rating scale exported as a choice list: its points give min and max; a point whose label is only
        its own number had no label."""
        points = [float(o["value"]) for o in question["options"] if re.fullmatch(r"-?\d+", o["value"])]
        if points:
            question["min_value"], question["max_value"] = min(points), max(points)
        question["options"] = [
            o for o in question["options"] if any(label != o["value"] for label in o["labels"].values())
        ]


def _skip_reason(kind: str) -> str:
    if kind == "note":
        return gettext("Heed has no question that only shows text")
    return gettext("Heed records when and where a response was given itself")


def _relevant_problem(expression: str, error: RelevantError) -> str:
    """One plain line for a ``relevant`` that Heed cannot say."""
    params = {"expression": expression, **error.params}
    messages = {
        "unsupported": gettext('relevant "{expression}" uses "{part}", which Heed does not support yet'),
        "two_answers": gettext(
            'relevant "{expression}" compares two answers (${{{first}}} and ${{{second}}}), which Heed does not '
            "support yet"
        ),
        "multi_equals": gettext(
            'relevant "{expression}" compares the multiple-choice answer ${{{name}}} with "{operator}"; '
            "write selected(${{{name}}}, 'value')"
        ),
        "not_number": gettext('relevant "{expression}" compares ${{{name}}} with "{value}", which is not a number'),
        "unknown_question": gettext('relevant "{expression}" refers to ${{{name}}}, which is not an earlier question'),
        "unreadable": gettext('relevant "{expression}" cannot be read (at "{at}")'),
    }
    return messages.get(error.code, messages["unreadable"]).format(**{"at": "", **params})


@transaction.atomic
def survey_import_xlsform(
    *, organisation: Organisation, created_by: User | None, data: bytes
) -> tuple[Survey, ImportReport]:
    """Create a draft survey from an XLSForm workbook's bytes; the draft is then edited and published as
    any other. Returns the survey and the import report. Raises ``XLSFormRefusedError`` (nothing is saved)."""
    form = xlsform_read(data, organisation_language=organisation.default_language)
    try:
        SurveyDefinition.model_validate(
            {
                "title": form.title,
                "default_language": form.default_language,
                "languages": form.languages,
                "questions": [_definition_fields(question) for question in form.questions],
            }
        )
    except ValidationError as error:
        raise XLSFormRefusedError([str(item["msg"]).removeprefix("Value error, ") for item in error.errors()]) from None
    survey = survey_create(
        organisation=organisation,
        title=form.title,
        created_by=created_by,
        languages=form.languages,
        default_language=form.default_language,
    )
    Question.objects.bulk_create(
        Question(survey=survey, position=position, **question) for position, question in enumerate(form.questions)
    )
    return survey, form.report


def _definition_fields(question: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": question["key"], "type": question["type"], "required": question["required"],
        "texts": question["texts"], "options": question["options"], "min": question["min_value"],
        "max": question["max_value"], "metric": resolve_metric(question["type"], question["metric"]),
        "show_if": question["show_if"], "screen_out_if": question.get("screen_out_if"),
    }  # fmt: skip
