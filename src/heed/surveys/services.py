"""Writes for surveys: create (blank or from a template), edit the draft, publish, close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from pydantic import ValidationError

from heed.core.errors import ApplicationError, ConflictError
from heed.core.labels import question_kind_phrase
from heed.surveys.conditions import referenced_questions
from heed.surveys.definition import (
    FIXED_SCALES,
    METRIC_NONE,
    METRICS,
    QuestionDef,
    SurveyDefinition,
    resolve_metric,
)
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES
from heed.surveys.models import Question, Survey, SurveyVersion
from heed.surveys.publish_checks import METRIC_NAMES, PublishProblem, publish_problems
from heed.surveys.templates_library import TEMPLATES, default_options, template_questions

if TYPE_CHECKING:
    from heed.accounts.models import Organisation, User


def _check_languages(languages: list[str], default_language: str) -> list[str]:
    languages = list(dict.fromkeys(code.strip() for code in languages if code.strip()))
    unknown = [code for code in languages if code not in SUPPORTED_LANGUAGES]
    if unknown:
        raise ApplicationError(f"Unsupported language(s): {', '.join(unknown)}.")
    if default_language not in languages:
        raise ApplicationError("The default language must be one of the survey's languages.")
    return languages


@transaction.atomic
def survey_create(
    *,
    organisation: Organisation,
    title: str,
    created_by: User | None,
    languages: list[str] | None = None,
    default_language: str | None = None,
    template_key: str = "",
) -> Survey:
    default_language = default_language or organisation.default_language
    languages = _check_languages(languages or [default_language], default_language)
    title = title.strip()
    if not title:
        raise ApplicationError("A survey needs a title.")
    if template_key and template_key not in TEMPLATES:
        raise ApplicationError(f"Unknown template {template_key!r}.")
    survey = Survey.objects.create(
        organisation=organisation,
        title=title,
        languages=languages,
        default_language=default_language,
        created_by=created_by,
        template_key=template_key,
    )
    if template_key:
        for position, fields in enumerate(
            template_questions(TEMPLATES[template_key], languages=languages, brand=organisation.brand)
        ):
            Question.objects.create(survey=survey, position=position, **fields)
    return survey


PUBLIC_TITLE_MAX = 200


def _clean_public_titles(titles: dict[str, str], languages: list[str]) -> dict[str, str]:
    cleaned = {code: (titles.get(code) or "").strip() for code in languages}
    too_long = [code for code, text in cleaned.items() if len(text) > PUBLIC_TITLE_MAX]
    if too_long:
        raise ApplicationError(f"A public title has at most {PUBLIC_TITLE_MAX} characters ({', '.join(too_long)}).")
    return {code: text for code, text in cleaned.items() if text}


def survey_update(
    *,
    survey: Survey,
    title: str,
    languages: list[str],
    default_language: str,
    public_titles: dict[str, str] | None = None,
) -> Survey:
    """Title, languages and the public titles (``{language: the survey's name as respondents see it}``; ``None``
    keeps them; titles of languages the survey does not offer and empty ones are dropped). Raises
    ``ApplicationError`` for an unknown language, a default language not offered or a public title over 200
    characters. Respondents never see ``title``, the analysts' own name; without a public title in their language
    they see "<brand> survey" in it (``heed.responses.views.public_title``)."""
    survey.languages = _check_languages(languages, default_language)
    survey.default_language = default_language
    survey.title = title.strip() or survey.title
    if public_titles is not None:
        survey.public_titles = _clean_public_titles(public_titles, survey.languages)
    else:
        survey.public_titles = {c: t for c, t in survey.public_titles.items() if c in survey.languages}
    survey.save(update_fields=["languages", "default_language", "title", "public_titles", "updated_at"])
    return survey


def _question_def(question: Question) -> QuestionDef:
    return QuestionDef.model_validate(
        {
            "key": question.key,
            "type": question.type,
            "required": question.required,
            "texts": question.texts,
            "options": question.options,
            "min": question.min_value,
            "max": question.max_value,
            "metric": resolve_metric(question.type, question.metric),
            "show_if": question.show_if or None,
            "screen_out_if": question.screen_out_if or None,
        }
    )


def _validation_message(error: ValidationError) -> str:
    return "; ".join(str(item["msg"]).removeprefix("Value error, ") for item in error.errors())


def survey_definition_build(*, survey: Survey) -> SurveyDefinition:
    """The draft as a validated definition; raises ApplicationError explaining what is wrong."""
    try:
        return SurveyDefinition(
            title=survey.title,
            default_language=survey.default_language,
            languages=survey.languages,
            questions=[_question_def(q) for q in survey.questions.all()],
        )
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="invalid_survey") from None


def _question_fields(survey: Survey, data: dict[str, Any]) -> dict[str, Any]:
    """Validate one question's fields on their own (skip logic targets: ``_check_skip_target``; the rest at publish)."""
    qtype = data.get("type", "")
    low, high = FIXED_SCALES.get(qtype, (data.get("min_value"), data.get("max_value")))
    options = data.get("options") or default_options(qtype, languages=survey.languages, brand=survey.organisation.brand)
    texts = {
        lang: text.strip()
        for lang, text in (data.get("texts") or {}).items()
        if lang in survey.languages and text and text.strip()
    }
    metric = data.get("metric") or ""
    if metric not in ("", METRIC_NONE, *METRICS):
        raise ApplicationError(f"Unknown headline metric {metric!r}: use nps, csat, ces, none or leave it empty.")
    fields = {
        "key": (data.get("key") or "").strip(),
        "type": qtype,
        "required": bool(data.get("required")),
        "texts": texts,
        "options": options,
        "min_value": low,
        "max_value": high,
        "metric": metric,
        "show_if": data.get("show_if") or None,
        "screen_out_if": data.get("screen_out_if") or None,
    }
    try:
        _question_def(Question(**fields))
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="invalid_question") from None
    if not texts.get(survey.default_language):
        raise ApplicationError(f"Write the question in {survey.default_language} (the default language).")
    return fields


def _check_key_free(survey: Survey, key: str, exclude_id: int | None = None) -> None:
    """ConflictError ``question_key_used`` when another question of the draft has ``key`` (keys are lower-case by
    the definition's rule). Callers hold the survey's row lock (``_lock``), so two concurrent adds of one key
    (or one position) are decided one after the other, not by a 500 from the unique constraint."""
    same_key = survey.questions.filter(key__iexact=key)
    clash = (same_key.exclude(id=exclude_id) if exclude_id is not None else same_key).first()
    if clash is not None:
        raise ConflictError(f"Another question already uses the key {clash.key!r}.", code="question_key_used")


def survey_lock(*, survey: Survey) -> None:
    """Lock ``survey``'s row until the end of the current transaction: one publish, question change or link
    creation of a survey at a time (other apps call this instead of locking a model they do not own)."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()


def survey_lock_no_key(*, survey_id: int) -> None:
    """Lock survey ``survey_id``'s row ``FOR NO KEY UPDATE`` until the end of the current transaction: one writer
    of figures derived from the survey at a time (the daily rollups), while new responses, which reference the
    survey (``KEY SHARE`` locks), do not wait. An unknown id locks nothing; SQLite serialises writers anyway.
    Call it inside ``transaction.atomic()``."""
    Survey.objects.select_for_update(no_key=True).filter(pk=survey_id).first()


def _lock(survey: Survey) -> None:
    survey_lock(survey=survey)


def _check_skip_target(survey: Survey, fields: dict[str, Any], position: int | None) -> None:
    """Skip logic may only look at earlier questions of the same survey, each question a compound rule names
    (``position`` is the question's own place; None for a new question, which goes last). Raises
    ApplicationError (code ``invalid_skip_logic``)."""
    for target in referenced_questions(fields.get("show_if")):
        if target == fields["key"]:
            raise ApplicationError(
                f"Question {target} cannot be shown depending on its own answer; pick an earlier question.",
                code="invalid_skip_logic",
            )
        source = survey.questions.filter(key=target).first()
        if source is None:
            raise ApplicationError(
                f"“{target}” is not a question of this survey; skip logic can only look at an earlier question.",
                code="invalid_skip_logic",
            )
        if position is not None and source.position >= position:
            raise ApplicationError(
                f"{target} comes after this question; skip logic can only look at earlier questions "
                "(move one of them).",
                code="invalid_skip_logic",
            )


def _check_screening_target(survey: Survey, fields: dict[str, Any], position: int | None) -> None:
    """A screening rule may look at the question itself and earlier questions of the same survey (``position``
    as in ``_check_skip_target``). Raises ApplicationError (code ``invalid_screening``)."""
    for target in referenced_questions(fields.get("screen_out_if")):
        if target == fields["key"]:
            continue
        source = survey.questions.filter(key=target).first()
        if source is None:
            raise ApplicationError(
                f"“{target}” is not a question of this survey; a screening rule can only look at this question "
                "or an earlier one.",
                code="invalid_screening",
            )
        if position is not None and source.position >= position:
            raise ApplicationError(
                f"{target} comes after this question; a screening rule can only look at this question or "
                "earlier ones (move one of them).",
                code="invalid_screening",
            )


def _dependants(question: Question) -> list[str]:
    """Keys of the other draft questions whose skip logic looks at ``question`` (in any part of a rule)."""
    others = question.survey.questions.exclude(pk=question.pk)
    return [
        other.key
        for other in others
        if question.key in referenced_questions(other.show_if) + referenced_questions(other.screen_out_if)
    ]


@transaction.atomic
def question_add(*, survey: Survey, data: dict[str, Any]) -> Question:
    fields = _question_fields(survey, data)
    _lock(survey)
    _check_key_free(survey, fields["key"])
    _check_skip_target(survey, fields, None)
    _check_screening_target(survey, fields, None)
    position = (survey.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question.objects.create(survey=survey, position=position, **fields)
    survey.save(update_fields=["updated_at"])
    return question


@transaction.atomic
def question_update(*, question: Question, data: dict[str, Any]) -> Question:
    fields = _question_fields(question.survey, data)
    _lock(question.survey)
    _check_key_free(question.survey, fields["key"], exclude_id=question.id)
    _check_skip_target(question.survey, fields, question.position)
    _check_screening_target(question.survey, fields, question.position)
    if fields["key"] != question.key:
        dependants = _dependants(question)
        if dependants:
            names = ", ".join(dependants)
            raise ApplicationError(
                f"Questions {names} are shown depending on {question.key}; change them before renaming it.",
            )
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    return question


def question_delete(*, question: Question) -> None:
    dependants = _dependants(question)
    if dependants:
        names = ", ".join(dependants)
        raise ApplicationError(f"Questions {names} are shown depending on this one; change them first.")
    question.delete()


@transaction.atomic
def question_move(*, question: Question, offset: int) -> None:
    ordered = list(question.survey.questions.all())
    index = ordered.index(question)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        if item.position != position:
            Question.objects.filter(pk=item.pk).update(position=position)


class SurveyNotReadyError(ApplicationError):
    """Publishing was refused; ``extra["problems"]`` lists each blocking problem (422)."""

    status_code = 422


def survey_publish_check(*, survey: Survey) -> list[PublishProblem]:
    """Every problem of the draft (blocking ones and warnings), see ``publish_checks``."""
    return publish_problems(languages=survey.languages, questions=list(survey.questions.all()))


@transaction.atomic
def survey_publish(*, survey: Survey, actor: User | None) -> SurveyVersion:
    """Check the draft, then freeze it into a new immutable version; answers keep pointing at theirs.

    Raises ``SurveyNotReadyError`` (422, code ``survey_not_ready``, ``problems``: a list of
    ``{"question", "message", "blocking"}``) when the draft has blocking problems, and
    ``ConflictError`` (409, code ``unchanged``) when nothing changed since the last version.
    """
    survey_lock(survey=survey)  # serialise concurrent publishes
    blocking = [problem for problem in survey_publish_check(survey=survey) if problem.blocking]
    if blocking:
        count = f"{len(blocking)} problem{'s' if len(blocking) > 1 else ''}"
        raise SurveyNotReadyError(
            f"The survey cannot be published yet: {count} to fix. " + " ".join(problem.message for problem in blocking),
            code="survey_not_ready",
            extra={"problems": [problem.as_dict() for problem in blocking]},
        )
    definition = survey_definition_build(survey=survey)
    latest = survey.versions.order_by("-number").first()
    if latest is not None and latest.definition == definition.model_dump(mode="json"):
        raise ConflictError("Nothing changed since the last published version.", code="unchanged")
    version = SurveyVersion.objects.create(
        survey=survey,
        number=(latest.number + 1) if latest else 1,
        definition=definition.model_dump(mode="json"),
        published_by=actor,
    )
    survey.status = Survey.Status.PUBLISHED
    survey.save(update_fields=["status", "updated_at"])
    return version


@transaction.atomic
def version_metrics_set(*, version: SurveyVersion, mapping: dict[str, str | None]) -> SurveyVersion:
    """Correct which question of a published version each headline metric reads.

    ``mapping`` is ``{metric: question key or None}`` for the metrics to change (others keep theirs).
    The metric mapping is the one part of a frozen version that may change: it decides how answers
    are summarised, not what respondents saw or answered. The question must be of the metric's type
    (an NPS question for NPS). Raises ApplicationError (code ``invalid_metric_mapping``). Recomputing
    the responses' scores is ``responses.headlines.version_headlines_rederive``.
    """
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    definition = SurveyDefinition.model_validate(version.definition)
    for metric, key in mapping.items():
        if metric not in METRICS:
            raise ApplicationError(f"Unknown headline metric {metric!r}.", code="invalid_metric_mapping")
        if key is not None:
            question = definition.question(key)
            if question is None or question.type != metric:
                raise ApplicationError(
                    f"{METRIC_NAMES[metric]} can only be read from {question_kind_phrase(metric)} of version "
                    f"{version.number}; {key!r} is not one.",
                    code="invalid_metric_mapping",
                )
        for question in definition.questions:
            if question.metric == metric and question.key != key:
                question.metric = ""
            elif question.key == key:
                question.metric = metric  # type: ignore[assignment]
    try:
        checked = SurveyDefinition.model_validate(definition.model_dump(mode="json"))
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="invalid_metric_mapping") from None
    version.definition = checked.model_dump(mode="json")
    version.save(update_fields=["definition"])
    return version


def survey_close(*, survey: Survey) -> None:
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])


def surveys_delete_for_organisation(*, organisation_id: int) -> int:
    """Delete every survey of an organisation with its questions, versions and what references them (cascades:
    links, invitations, rollups, weighting schemes, call lists), for removing a whole organisation
    (``heed demo --reset``). Delete its responses first (``responses.services.responses_delete_for_organisation``):
    a response protects its version, so surveys with responses raise ``django.db.models.ProtectedError``.
    Returns the number of surveys deleted (0 for an unknown id)."""
    _rows, by_model = Survey.objects.filter(organisation_id=organisation_id).delete()
    return by_model.get(Survey._meta.label, 0)
