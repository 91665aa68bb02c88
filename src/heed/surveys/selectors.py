"""Reads for surveys, scoped to the caller's organisation."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Max, QuerySet
from django.utils.translation import gettext

from heed.core.compiled_query import CompiledLookup
from heed.core.errors import NotFoundError
from heed.surveys.definition import METRICS, QuestionDef, SurveyDefinition, meaning_difference, metric_question
from heed.surveys.models import Survey, SurveyVersion

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from heed.accounts.models import Organisation


class _LatestVersion(TypedDict):
    latest_version_number: int | None


# A survey read by ``survey_list`` or ``survey_get``: it carries ``latest_version_number``.
SurveyWithLatest: TypeAlias = "WithAnnotations[Survey, _LatestVersion]"


def survey_list(*, organisation: Organisation) -> QuerySet[SurveyWithLatest]:
    """The organisation's surveys, each with ``latest_version_number`` (None before the first publish)."""
    return (
        Survey.objects.filter(organisation=organisation)
        .annotate(latest_version_number=Max("versions__number"))
        .order_by("-created_at")
    )


def survey_get(*, organisation: Organisation, survey_id: int) -> SurveyWithLatest | None:
    return survey_list(organisation=organisation).filter(id=survey_id).first()


def survey_latest_version(*, survey: Survey) -> SurveyVersion | None:
    return survey.versions.order_by("-number").first()


def version_definition(version: SurveyVersion) -> SurveyDefinition:
    """The parsed definition of a published version."""
    return SurveyDefinition.model_validate(version.definition)


_SHARED_DEFINITIONS: dict[tuple[int, object, tuple[tuple[object, object], ...]], SurveyDefinition] = {}
_SHARED_MAX = 256  # versions kept parsed per process (a few KB each)
_shared_lock = threading.Lock()


def version_definition_shared(version: SurveyVersion) -> SurveyDefinition:
    """:func:`version_definition`, parsed once per process and version and **shared**: the caller must not change
    it (ingestion reads it for every submission; parsing a definition took about 1 ms of every single POST). A
    published version is frozen except for its metric mapping (``surveys.services.version_metrics_set``),
    so the key is the version's id and publication time (an id alone may come back after a rolled-back
    transaction) and each question's (key, metric): a changed mapping is parsed afresh. At most
    :data:`_SHARED_MAX` versions are kept (the oldest parsed is dropped first)."""
    raw = version.definition
    questions = raw.get("questions", ()) if isinstance(raw, dict) else ()
    metrics = tuple((q.get("key"), q.get("metric")) for q in questions if isinstance(q, dict))
    key = (version.pk, version.published_at, metrics)
    found = _SHARED_DEFINITIONS.get(key)
    if found is None:
        found = version_definition(version)
        with _shared_lock:
            if len(_SHARED_DEFINITIONS) >= _SHARED_MAX:
                _SHARED_DEFINITIONS.pop(next(iter(_SHARED_DEFINITIONS)))
            _SHARED_DEFINITIONS[key] = found
    return found


def survey_version_get(*, survey: Survey, number: int | None) -> SurveyVersion | None:
    """Version ``number`` of ``survey``, or the latest when ``number`` is None. Raises ``NotFoundError`` (404) for a
    number the survey never published."""
    if number is None:
        return survey_latest_version(survey=survey)
    version = survey.versions.filter(number=number).first()
    if version is None:
        raise NotFoundError(f"This survey has no published version {number}.")
    return version


@dataclass(frozen=True)
class VersionPooling:
    """Which published versions' answers to one question (or headline metric) may be read together.

    ``reference`` is the version whose meaning is analysed; ``pooled`` the version numbers whose answers mean the
    same (it included); ``excluded`` the other versions with the reason, e.g. ``(1, "scale 1–10, not 1–5")``.
    ``version_ids`` are the database ids of the pooled versions, for filtering answers.
    """

    key: str
    reference: int | None
    pooled: tuple[int, ...]
    excluded: tuple[tuple[int, str], ...]
    version_ids: frozenset[int]
    excluded_ids: frozenset[int]

    def as_dict(self) -> dict:
        return {
            "key": self.key, "reference_version": self.reference, "pooled": list(self.pooled),
            "excluded": [{"version": number, "reason": reason} for number, reason in self.excluded],
        }  # fmt: skip


# The parts of a ``meaning_difference`` reason (joined by "; "), as written there, and how to say them.
_REASON_NOT_ASKED = "not asked"
_REASON_PARTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"type (?P<other>.+), not (?P<reference>.+)"), "type"),
    (re.compile(r"scale (?P<other>.+), not (?P<reference>.+)"), "scale"),
    (re.compile(r"options differ \((?P<changes>.*)\)"), "options"),
)


def _reason_part_label(part: str) -> str:
    if part == _REASON_NOT_ASKED:
        return gettext("not asked")
    for pattern, kind in _REASON_PARTS:
        match = pattern.fullmatch(part)
        if match is None:
            continue
        if kind == "type":
            return gettext("type %(other)s, not %(reference)s") % match.groupdict()
        if kind == "scale":
            return gettext("scale %(other)s, not %(reference)s") % match.groupdict()
        return gettext("options differ (%(changes)s)") % match.groupdict()
    return part


def pooling_reason_label(reason: str) -> str:
    """A ``VersionPooling`` exclusion reason (``meaning_difference``'s stored English form, e.g. "scale 1–5, not
    0–10"; "not asked"; parts joined by "; ") in the active language, for pages. Question types, scales and option
    keys stay as written; a part it does not recognise is returned unchanged. The API keeps the English form."""
    return "; ".join(_reason_part_label(part) for part in reason.split("; "))


def _versions(survey: Survey) -> list[tuple[SurveyVersion, SurveyDefinition]]:
    """Every published version with its definition: earlier and later ones are compared with the reference."""
    return [(v, version_definition(v)) for v in survey.versions.order_by("number")]


def _pooling(key: str, found: list[tuple[SurveyVersion, QuestionDef | None]], reference: int | None) -> VersionPooling:
    anchor = next((q for v, q in found if v.number == reference), None)
    pooled, excluded, ids, excluded_ids = [], [], set(), set()
    for version, question in found:
        reason = "not asked" if anchor is None else meaning_difference(anchor, question)
        if reason is None:
            pooled.append(version.number)
            ids.add(version.id)
        else:
            excluded.append((version.number, reason))
            if question is not None:  # a version that did not ask it holds no answers to leave out
                excluded_ids.add(version.id)
    return VersionPooling(key, reference, tuple(pooled), tuple(excluded), frozenset(ids), frozenset(excluded_ids))


def question_versions(
    *, survey: Survey, keys: list[str], version: SurveyVersion | None = None
) -> dict[str, VersionPooling]:
    """For each question key, the versions (up to ``version``, default the latest) whose answers mean what they
    mean in ``version``: same type, scale and options' keys (``heed.surveys.definition.meaning_difference``).

    Every analysis that pools answers across versions reads a question's answers only from its ``version_ids``
    and says which versions it pooled and which it left out; exports can use the same selector.
    """
    version = version or survey_latest_version(survey=survey)
    history = _versions(survey)
    return {key: _pooling(key, [(v, d.question(key)) for v, d in history], version.number if version else None)
            for key in keys}  # fmt: skip


def metric_versions(*, survey: Survey, version: SurveyVersion | None = None) -> dict[str, VersionPooling]:
    """For each headline metric (NPS, CSAT, CES), the versions whose copied score (``Response.nps_score``, ...)
    means what it means in the reference: the latest version up to ``version`` (default the latest) that carries
    the metric. A version's score means the same when the question carrying the metric has the same type and
    scale (``meaning_difference``); versions without that metric hold no score and are listed as "not asked"."""
    version = version or survey_latest_version(survey=survey)
    return _metric_pooling(_versions(survey), version.number if version else None)


def _metric_pooling(
    history: list[tuple[SurveyVersion, SurveyDefinition]], analysed: int | None = None
) -> dict[str, VersionPooling]:
    """Per metric: the reference is the analysed version (default the latest) if it carries the metric, else the
    latest version before it that does, else the latest that does at all; every version is compared with it."""
    out = {}
    analysed = analysed if analysed is not None else (history[-1][0].number if history else None)
    for metric in METRICS:
        found = [(v, metric_question(d, metric)) for v, d in history]
        carrying = [v.number for v, q in found if q is not None]
        earlier = [n for n in carrying if analysed is None or n <= analysed]
        reference = (earlier or carrying)[-1] if carrying else analysed
        out[metric] = _pooling(metric, found, reference)
    return out


def metric_versions_by_survey(
    *, organisation_id: int, survey_id: int | None = None, version: int | None = None
) -> dict[int, tuple[str, dict[str, VersionPooling]]]:
    """``metric_versions`` of every survey of the organisation (or one), in one query:
    ``{survey id: (title, {metric: VersionPooling})}``. ``version`` (with ``survey_id``) sets the reference."""
    versions = SurveyVersion.objects.filter(survey__organisation_id=organisation_id).select_related("survey")
    if survey_id is not None:
        versions = versions.filter(survey_id=survey_id)
        if version is not None and not versions.filter(number=version).exists():
            raise NotFoundError(f"This survey has no published version {version}.")
    histories: dict[int, list[tuple[SurveyVersion, SurveyDefinition]]] = {}
    for v in versions.order_by("survey_id", "number"):
        histories.setdefault(v.survey_id, []).append((v, version_definition(v)))
    return {sid: (history[0][0].survey.title, _metric_pooling(history, version)) for sid, history in histories.items()}


def option_labels(
    *, organisation_id: int, language: str | None = None, survey_id: int | None = None,
    question_type: str | None = None, question_key: str | None = None,
) -> dict[str, str]:  # fmt: skip
    """Option value -> label for the questions of a type (``"age_group"``) or with a key (``"did_buy"``).

    Labels come from the published versions' definitions (newest first, so a relabelled option shows
    its current label), in ``language`` (the reader's), else the survey's default language, else the
    value itself. Only ``survey_id``'s versions when given, else all the organisation's surveys.
    Reads the stored JSON without validating it: one query, however many versions.
    """
    versions = SurveyVersion.objects.filter(survey__organisation_id=organisation_id)
    if survey_id is not None:
        versions = versions.filter(survey_id=survey_id)
    labels: dict[str, str] = {}
    for definition in versions.order_by("-published_at", "-id").values_list("definition", flat=True):
        default = definition.get("default_language", "en")
        for question in definition.get("questions", []):
            if question_key is not None and question.get("key") != question_key:
                continue
            if question_type is not None and question.get("type") != question_type:
                continue
            for option in question.get("options") or []:
                value, texts = str(option.get("value", "")), option.get("labels") or {}
                if value and value not in labels:
                    labels[value] = (language and texts.get(language)) or texts.get(default) or value
    return labels


_LATEST_VERSION = CompiledLookup(
    lambda survey_id, organisation_id: (
        SurveyVersion.objects.select_related("survey")
        .filter(survey_id=survey_id, survey__organisation_id=organisation_id)
        .order_by("-number")[:1]
    ),
    chain=[SurveyVersion, Survey],
    path=["survey"],
    stand_ins={"survey_id": -7_340_032_001, "organisation_id": -7_340_032_002},
)  # every submission runs it: compiled once per connection (heed.core.compiled_query)


def survey_with_latest_version(
    *, organisation: Organisation, survey_id: int
) -> tuple[Survey | None, SurveyVersion | None]:
    """(survey, its latest published version) in one query for a published survey; (survey, None) before the
    first publish; (None, None) when the organisation has no such survey."""
    if not 0 < survey_id < 2**63:  # no such id can exist (and the driver would refuse to send it)
        return None, None
    version = _LATEST_VERSION.first(survey_id=survey_id, organisation_id=organisation.pk)
    if version is not None:
        return version.survey, version
    return Survey.objects.filter(organisation=organisation, pk=survey_id).first(), None


def version_id_latest(*, organisation_id: int, survey_id: int | None = None) -> int | None:
    """The highest version id published in the organisation (or of one survey): it moves on at each
    publication (analytics' data version uses it). One indexed MAX query."""
    versions = SurveyVersion.objects.filter(survey__organisation_id=organisation_id)
    if survey_id is not None:
        versions = versions.filter(survey_id=survey_id)
    return versions.aggregate(m=Max("id"))["m"]


def survey_is_open(survey: Survey) -> bool:
    """Whether the survey takes responses (published, not closed or a draft)."""
    return survey.status == Survey.Status.PUBLISHED
