"""The surveys' API router (mounted at ``/api/surveys`` by ``heed.api.api``): list and read surveys, the
builder's operations (create a survey blank or from a template, its settings, its draft questions: add,
replace, delete, move, with the publishing problems), publish a draft, correct a published version's
headline metrics.

Publishing calls the same service as the builder page (``distribution.publishing.survey_publish_shared``:
the new version and the survey's default link); the metric mapping calls ``version_metrics_correct``, as
the builder's panel does. Writing needs a role that designs surveys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status, UploadedFile
from pydantic import ConfigDict, Strict, StrictBool, create_model

from heed.accounts import permissions
from heed.api.schemas import BodyIn, ErrorOut
from heed.core.bounds import NUMBER_LIMIT, DbId
from heed.core.errors import NotFoundError
from heed.distribution.publishing import survey_publish_shared
from heed.distribution.services import link_public_url
from heed.responses.headlines import version_metrics_correct
from heed.surveys.conditions import MAX_CONDITIONS, MAX_DEPTH
from heed.surveys.definition import QUESTION_TYPES, Operator
from heed.surveys.language import LanguageCode
from heed.surveys.selectors import survey_get, survey_latest_version, survey_list, version_definition
from heed.surveys.services import (
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_create,
    survey_publish_check,
    survey_update,
)
from heed.surveys.templates_library import TEMPLATES
from heed.surveys.xlsform_export import XLSX_CONTENT_TYPE, survey_xlsform
from heed.surveys.xlsform_import import MAX_XLSFORM_BYTES, XLSFormRefusedError, survey_import_xlsform

if TYPE_CHECKING:
    from heed.surveys.models import Question, Survey

router = Router(tags=["surveys"])


class SurveySummaryOut(Schema):
    id: int
    title: str
    status: str
    default_language: str
    languages: list[str]
    public_titles: dict[str, str] = Field(description="language -> the survey's name as respondents see it")
    latest_version: int | None


class SurveyDetailOut(SurveySummaryOut):
    definition: dict[str, Any] | None


class ProblemOut(Schema):
    question: str | None = Field(description="key of the question concerned; null for the survey as a whole")
    message: str
    blocking: bool = Field(description="true: publishing is refused until it is fixed; false: advice")


class PublishedOut(Schema):
    survey_id: int
    version: int = Field(description="number of the version just frozen")
    link_id: int = Field(description="the survey's link to share: its first one, a web link made now if it had none")
    link_url: str = Field(description="public address of that link")
    warnings: list[ProblemOut] = Field(description="advice that did not block publishing")


class NotReadyOut(Schema):
    detail: str
    code: str = Field(description="survey_not_ready (or invalid_input when the request breaks the schema)")
    problems: list[ProblemOut] = Field(
        default_factory=list, description="with survey_not_ready: every blocking problem, naming its question"
    )
    errors: dict[str, str] | None = Field(None, description="with invalid_input: the message per invalid field")


class MetricMappingIn(BodyIn):
    """Question key per headline metric; null reads no question; an omitted metric keeps its mapping."""

    nps: str | None = Field(None, max_length=40)
    csat: str | None = Field(None, max_length=40)
    ces: str | None = Field(None, max_length=40)


class MetricMappingOut(Schema):
    survey_id: int
    version: int
    metrics: dict[str, str] = Field(description="metric -> question key, for the metrics the version counts")
    responses_recomputed: int


def _survey_out(survey: Survey, *, with_definition: bool = False) -> dict:
    out = {
        "id": survey.id,
        "title": survey.title,
        "status": survey.status,
        "default_language": survey.default_language,
        "languages": survey.languages,
        "public_titles": survey.public_titles,
        "latest_version": survey.latest_version_number,  # type: ignore[attr-defined]  # annotated by survey_list
    }
    if with_definition:
        version = survey_latest_version(survey=survey)
        out["definition"] = version.definition if version else None
    return out


@router.get("", response=list[SurveySummaryOut])
def surveys_list(request: HttpRequest):
    return [_survey_out(s) for s in survey_list(organisation=request.auth.organisation)]  # type: ignore[attr-defined]


def _designed_survey(request: HttpRequest, survey_id: int) -> Survey:
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_design_surveys(user))
    survey = survey_get(organisation=user.organisation, survey_id=survey_id)
    if survey is None:
        raise NotFoundError("No such survey.")
    return survey


@router.post(
    "/{survey_id}/publish",
    response={201: PublishedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: NotReadyOut},
)
def survey_publish_endpoint(request: HttpRequest, survey_id: int):
    """Check the draft and freeze it into a new version (as the builder's Publish button does); a survey
    without a link gets a web link, named in the answer with the link to share.

    422 ``survey_not_ready`` lists every blocking problem (missing text in an enabled language, skip
    logic pointing at a later, the same or a missing question, a rating without an answerable scale,
    NPS/CSAT/CES questions of which none counts as a headline metric, ...); 409 ``unchanged`` when
    the draft equals the latest version.
    """
    survey = _designed_survey(request, survey_id)
    publication = survey_publish_shared(survey=survey, actor=request.auth)  # type: ignore[attr-defined]
    return Status(201, {
        "survey_id": survey.id, "version": publication.version.number, "link_id": publication.link.id,
        "link_url": link_public_url(publication.link), "warnings": [p.as_dict() for p in publication.warnings],
    })  # fmt: skip


@router.post(
    "/{survey_id}/versions/{number}/metrics",
    response={200: MetricMappingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def version_metrics_endpoint(request: HttpRequest, survey_id: int, number: int, payload: MetricMappingIn):
    """Correct which question each headline metric reads in a published version, and recompute the
    NPS/CSAT/CES of its responses from their stored answers (the dashboard and rollups follow).

    400 ``invalid_metric_mapping`` when a metric names a question that is not of its type.
    """
    survey = _designed_survey(request, survey_id)
    version = survey.versions.filter(number=number).first()
    if version is None:
        raise NotFoundError(f"Survey {survey.id} has no version {number}.")
    mapping = {metric: getattr(payload, metric) for metric in payload.model_fields_set}
    count = version_metrics_correct(version=version, mapping=mapping)
    version.refresh_from_db()
    return {
        "survey_id": survey.id,
        "version": version.number,
        "metrics": version_definition(version).metric_keys(),
        "responses_recomputed": count,
    }


# --- the builder ---------------------------------------------------------------------------------------------

QuestionTypeName = Literal[QUESTION_TYPES]  # type: ignore[valid-type]
if TYPE_CHECKING:  # known at run time only: a static checker sees a plain str
    TemplateKey = str
else:
    TemplateKey = Literal[tuple(TEMPLATES)]
# Strict: a JSON true is not the number 1, nor 5 the string "5" (the OpenAPI says which type each value has).
Bounded = Annotated[float, Strict(), Field(ge=-NUMBER_LIMIT, le=NUMBER_LIMIT)]
Whole = Annotated[int, Strict(), Field(ge=-NUMBER_LIMIT, le=NUMBER_LIMIT)]
Word = Annotated[str, Strict(), Field(max_length=200)]
ConditionValue = Word | Whole | Bounded | list[Word]
Label = Annotated[str, Field(max_length=500)]


class SurveyCreateIn(BodyIn):
    title: str = Field(min_length=1, max_length=200)
    languages: list[LanguageCode] | None = Field(
        None, min_length=1, max_length=10, description="default: the organisation's default language"
    )
    default_language: LanguageCode | None = Field(None, description="one of languages; default: the organisation's")
    template: TemplateKey | None = Field(None, description="start from this template's questions; none: blank")


class SurveySettingsIn(BodyIn):
    title: str = Field(min_length=1, max_length=200, description="the team's own name; respondents never see it")
    languages: list[LanguageCode] = Field(min_length=1, max_length=10)
    default_language: LanguageCode = Field(description="one of languages")
    public_titles: dict[LanguageCode, Word] | None = Field(
        default=None,
        description="language -> the survey's name as respondents see it (page titles); omitted: unchanged; "
        "languages not offered and empty titles are dropped; without one respondents see '<brand> survey'",
    )


class OptionIO(Schema):
    value: str = Field(min_length=1, max_length=60)
    labels: dict[LanguageCode, Label] = Field(description="language -> label")


class ShowIfIO(Schema):
    """One condition on an earlier answer."""

    question: str = Field(max_length=40, description="key of an earlier question")
    op: Operator
    value: ConditionValue | None = Field(
        None, description="an option value or number; a list with in and not_in; nothing with answered"
    )


# A rule inside all/any/not: a condition, or a nested rule of the same shapes as a plain object (the schema stops
# at one level so that it stays finite; the service checks nested rules: 400 invalid_question / invalid_skip_logic).
NestedRule = Annotated[
    dict[str, Any],
    Field(description="a nested rule: {all: [...]}, {any: [...]} or {not: rule}; at most 4 levels, 20 conditions"),
]
PartIO = ShowIfIO | NestedRule


class _RuleIO(Schema):
    model_config = ConfigDict(extra="forbid")


class AllOfIO(_RuleIO):
    """Every one of the rules holds."""

    all: list[PartIO] = Field(min_length=1, max_length=MAX_CONDITIONS)


class AnyOfIO(_RuleIO):
    """At least one of the rules holds."""

    any: list[PartIO] = Field(min_length=1, max_length=MAX_CONDITIONS)


# "not" is a Python keyword, so this shape is made by name (ninja writes field names, never aliases, in bodies).
_NOT_FIELDS: dict[str, Any] = {"not": (PartIO, ...)}
NotOfIO = create_model(
    "NotOfIO", __base__=_RuleIO, __module__=__name__, __doc__="The rule does not hold.", **_NOT_FIELDS
)

if TYPE_CHECKING:
    RuleIO = Any
else:
    RuleIO = ShowIfIO | AllOfIO | AnyOfIO | NotOfIO


class QuestionIn(BodyIn):
    """A whole draft question, as the builder's form sends it (replacing a question sends all of it again)."""

    key: str = Field(max_length=40, description="a-z, 0-9 and _, starting with a letter; unique in the draft")
    type: QuestionTypeName
    required: StrictBool = False
    texts: dict[LanguageCode, Annotated[str, Field(max_length=500)]] = Field(
        description="language -> question text; the survey's default language is required"
    )
    options: list[OptionIO] = Field(default_factory=list, max_length=100,
                                    description="choice questions; empty: the type's default options")  # fmt: skip
    min_value: Bounded | None = Field(None, description="rating and number questions (fixed for nps, csat, ces)")
    max_value: Bounded | None = None
    metric: Literal["", "none", "nps", "csat", "ces"] = Field(
        "", description='headline metric: "" by question type, none, or the metric (of its own type)'
    )
    show_if: RuleIO | None = Field(
        None,
        description="skip logic: show only when an earlier answer matches (a condition), or when all/any of "
        f"several rules hold, or a rule does not (at most {MAX_DEPTH} levels and {MAX_CONDITIONS} conditions)",
    )
    screen_out_if: RuleIO | None = Field(
        None,
        description="screening: when this rule (same shape as show_if, over this question's answer and earlier "
        "ones) holds once the question is answered, the interview ends as screened out (not eligible)",
    )


class QuestionOut(QuestionIn):
    id: int
    position: int


class ProblemsOut(Schema):
    blocking: list[ProblemOut] = Field(description="what stops publishing")
    advice: list[ProblemOut]


class DraftOut(SurveySummaryOut):
    questions: list[QuestionOut]
    problems: ProblemsOut


class MoveIn(BodyIn):
    offset: Annotated[int, Strict()] = Field(ge=-1000, le=1000, description="places to move: up (< 0) or down")


def _question_out(question: Question) -> dict:
    return {
        "id": question.id, "position": question.position, "key": question.key, "type": question.type,
        "required": question.required, "texts": question.texts, "options": question.options,
        "min_value": question.min_value, "max_value": question.max_value, "metric": question.metric,
        "show_if": question.show_if, "screen_out_if": question.screen_out_if,
    }  # fmt: skip


def _draft_out(survey: Survey) -> dict:
    survey = survey_get(organisation=survey.organisation, survey_id=survey.id)  # type: ignore[assignment]
    problems = survey_publish_check(survey=survey)
    return {
        **_survey_out(survey),
        "questions": [_question_out(question) for question in survey.questions.all()],
        "problems": {
            "blocking": [p.as_dict() for p in problems if p.blocking],
            "advice": [p.as_dict() for p in problems if not p.blocking],
        },  # fmt: skip
    }


def _draft_question(survey: Survey, question_id: int) -> Question:
    question = survey.questions.filter(id=question_id).first()
    if question is None:
        raise NotFoundError("No such question in this survey's draft.")
    return question


@router.post("", response={201: DraftOut, 400: ErrorOut, 403: ErrorOut})
def surveys_create(request: HttpRequest, payload: SurveyCreateIn):
    """Create a survey (a draft), blank or with a template's questions, as the New survey page does."""
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_design_surveys(user))
    survey = survey_create(organisation=user.organisation, title=payload.title, created_by=user,
                           languages=list(payload.languages or []) or None, default_language=payload.default_language,
                           template_key=payload.template or "")  # fmt: skip
    return Status(201, _draft_out(survey))


@router.get("/{survey_id}/draft", response={200: DraftOut, 403: ErrorOut, 404: ErrorOut})
def surveys_draft(request: HttpRequest, survey_id: DbId):
    """The draft's questions in order and what stops publishing it (``problems``), as the builder shows them."""
    return _draft_out(_designed_survey(request, survey_id))


@router.put("/{survey_id}/settings", response={200: DraftOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def surveys_settings(request: HttpRequest, survey_id: DbId, payload: SurveySettingsIn):
    """Title and languages (400 when the default language is not among them)."""
    survey = _designed_survey(request, survey_id)
    survey_update(survey=survey, title=payload.title, languages=list(payload.languages),
                  default_language=payload.default_language, public_titles=payload.public_titles)  # fmt: skip
    return _draft_out(survey)


@router.post(
    "/{survey_id}/questions", response={201: QuestionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def questions_add(request: HttpRequest, survey_id: DbId, payload: QuestionIn):
    """Add a question at the end of the draft. 400 ``invalid_question`` (e.g. a rating without min < max, a
    choice question without options), ``invalid_skip_logic`` (skip logic on itself, a later or a missing
    question); 409 ``question_key_used``."""
    survey = _designed_survey(request, survey_id)
    question = question_add(survey=survey, data=payload.model_dump())
    return Status(201, _question_out(question))


@router.put(
    "/{survey_id}/questions/{question_id}",
    response={200: QuestionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def questions_replace(request: HttpRequest, survey_id: DbId, question_id: DbId, payload: QuestionIn):
    """Replace a draft question (the same rules as adding; renaming a question others depend on is 400)."""
    question = _draft_question(_designed_survey(request, survey_id), question_id)
    return _question_out(question_update(question=question, data=payload.model_dump()))


@router.delete(
    "/{survey_id}/questions/{question_id}", response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def questions_delete(request: HttpRequest, survey_id: DbId, question_id: DbId):
    """Delete a draft question (400 while other questions' skip logic depends on it). Published versions keep it."""
    question_delete(question=_draft_question(_designed_survey(request, survey_id), question_id))
    return Status(204, None)


@router.post("/{survey_id}/questions/{question_id}/move", response={200: DraftOut, 403: ErrorOut, 404: ErrorOut})
def questions_move(request: HttpRequest, survey_id: DbId, question_id: DbId, payload: MoveIn):
    """Move a draft question up (negative offset) or down; the answer is the draft in its new order."""
    survey = _designed_survey(request, survey_id)
    question_move(question=_draft_question(survey, question_id), offset=payload.offset)
    return _draft_out(survey)


# --- XLSForm -------------------------------------------------------------------------------------------------


class ImportedOut(DraftOut):
    report: list[str] = Field(description="what the import renamed (Q-1.a → q_1_a) or left out (notes), one line each")


class XLSFormRefusedOut(Schema):
    detail: str
    code: str = Field(description="xlsform_refused (or invalid_input when the request breaks the schema)")
    problems: list[str] = Field(
        default_factory=list,
        description='with xlsform_refused: one plain line per problem, e.g. survey row 7: relevant "${a} + 1 > 2" '
        'uses "+", which Heed does not support yet',
    )
    errors: dict[str, str] | None = Field(None, description="with invalid_input: the message per invalid field")


@router.post("/import-xlsform", response={201: ImportedOut, 403: ErrorOut, 422: XLSFormRefusedOut})
def surveys_import_xlsform(request: HttpRequest, file: File[UploadedFile]):
    """Create a draft survey from an XLSForm workbook (.xlsx, multipart field ``file``, at most 1024 KB), as the
    Import XLSForm page does; converted with pyxform, never ODK Validate.

    Mapped: select_one / select_multiple with their choices, integer / decimal (number), text, date, range
    (rating), ``label::Name (code)`` translations, ``required``, ``relevant`` (and / or / not over earlier
    answers), simple min/max constraints; groups are flattened, notes and metadata rows skipped (listed in
    ``report`` with renamed keys). 422 ``xlsform_refused`` lists every row Heed cannot hold (repeat, calculate,
    choice_filter, other types, unsupported expressions), one line each; nothing is saved then.
    """
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_design_surveys(user))
    if file.size is not None and file.size > MAX_XLSFORM_BYTES:
        raise XLSFormRefusedError([f"The file is larger than {MAX_XLSFORM_BYTES // 1024} KB."])
    survey, report = survey_import_xlsform(
        organisation=user.organisation, created_by=user, data=file.read(MAX_XLSFORM_BYTES + 1)
    )
    return Status(201, {**_draft_out(survey), "report": report.lines()})


@router.get(
    "/{survey_id}/xlsform",
    response={400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "the XLSForm workbook (sheets survey, choices, settings), as an attachment",
                "content": {XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def surveys_xlsform(
    request: HttpRequest, survey_id: DbId, version: Annotated[int, Field(ge=1, le=2**31)] | None = None
):
    """A published version (``version``; default the latest, the draft before the first publish) as an XLSForm
    workbook that pyxform converts and that ``import-xlsform`` reads back into the same questionnaire. Heed's
    types without an XLSForm equivalent (NPS, CSAT, ...) and the headline metric are kept in the ``heed_type``
    and ``heed_metric`` columns, which ODK ignores. Cells are text, never formulas. 400 ``xlsform_export`` when
    a rule cannot be written (e.g. a value with both quote marks); 404 for a version the survey does not have.
    """
    exported = survey_xlsform(survey=_designed_survey(request, survey_id), number=version)
    response = HttpResponse(exported.content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


# Last: "/{survey_id}" would otherwise take "/import-xlsform" (routes match in the order they are added).
@router.get("/{survey_id}", response={200: SurveyDetailOut, 404: ErrorOut})
def surveys_get(request: HttpRequest, survey_id: DbId):
    survey = survey_get(organisation=request.auth.organisation, survey_id=survey_id)  # type: ignore[attr-defined]
    if survey is None:
        raise NotFoundError("No such survey.")
    return _survey_out(survey, with_definition=True)
