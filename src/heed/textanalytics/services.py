"""Writes for text analytics: the taxonomy, staff lists, annotating comments, retraining sentiment."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from heed.accounts.selectors import organisation_list
from heed.accounts.services import organisation_lock
from heed.core.errors import ApplicationError, ConflictError
from heed.core.names import name_key
from heed.core.statistics import tables_analyze
from heed.nlp.pipeline import CommentResult, Pipeline, pipeline_version
from heed.nlp.sentiment import (
    LearnedSentiment,
    LexiconSentiment,
    SentimentModel,
    TransformerSentiment,
    evaluate,
    train_or_none,
    weak_label,
)
from heed.nlp.staff import StaffMember as StaffRecord
from heed.nlp.themes import DEFAULT_TAXONOMY
from heed.responses.selectors import scored_text_answer_queryset
from heed.textanalytics.models import (
    AnnotationTheme,
    SentimentModelVersion,
    SentimentTrainingRun,
    StaffMember,
    StaffMention,
    TextAnnotation,
    TextItem,
    ThemeDefinition,
)
from heed.textanalytics.selectors import active_themes
from heed.textanalytics.text_items import answer_comments, text_items_from_answers

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from heed.accounts.models import Organisation, Unit
    from heed.responses.models import Answer


def taxonomy_ensure_default(*, organisation: Organisation) -> int:
    """Give an organisation the starting taxonomy if it has no themes yet. Returns themes created."""
    if ThemeDefinition.objects.filter(organisation=organisation).exists():
        return 0
    rows = [
        ThemeDefinition(
            organisation=organisation, key=theme.key, name=theme.names.get("en", theme.key),
            names=dict(theme.names), keywords={lang: list(words) for lang, words in theme.keywords.items()},
            source=ThemeDefinition.Source.DEFAULT,
        )
        for theme in DEFAULT_TAXONOMY
    ]  # fmt: skip
    return len(ThemeDefinition.objects.bulk_create(rows))


def theme_save(
    *, organisation: Organisation, key: str, name: str, keywords: dict[str, list[str]], source: str, new: bool = False
) -> ThemeDefinition:
    """Add a theme (``new``) or replace the name and keywords of the theme ``key`` (a discovered theme stays
    discovered). Keys are lower-cased. Raises ApplicationError for no keywords, keywords under 3 letters or
    no key; ConflictError ``theme_exists`` when adding a key or a name (any case) another theme has, or
    renaming a theme to another theme's name: an accepted discovery or a new theme never overwrites an
    existing theme's keywords (the unique constraint on organisation and key decides concurrent adds)."""
    cleaned = {lang: [w.strip().lower() for w in words if w.strip()] for lang, words in keywords.items()}
    cleaned = {lang: words for lang, words in cleaned.items() if words}
    if not cleaned:
        raise ApplicationError("A theme needs at least one keyword.")
    if any(len(word) < 3 for words in cleaned.values() for word in words):
        raise ApplicationError("Keywords need at least 3 letters (they match as word beginnings).")
    key = key.strip().lower()
    if not key:
        raise ApplicationError("A theme needs a key (letters, digits and underscores).")
    name = name.strip()[:120] or key
    _theme_name_free(organisation=organisation, key=key, name=name, new=new)
    if new:
        theme = ThemeDefinition(organisation=organisation, key=key, name=name, keywords=cleaned, source=source)
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives a lost race
                theme.save()
        except IntegrityError:
            _theme_name_free(organisation=organisation, key=key, name=name, new=True)
            raise
    else:  # editing keeps where the theme came from (a discovered theme stays discovered)
        theme, _created = ThemeDefinition.objects.update_or_create(
            organisation=organisation, key=key, defaults={"name": name, "keywords": cleaned, "is_active": True},
            create_defaults={"name": name, "keywords": cleaned, "source": source, "is_active": True},
        )  # fmt: skip
    taxonomy_changed(organisation=organisation)
    return theme


def _theme_name_free(*, organisation: Organisation, key: str, name: str, new: bool) -> None:
    themes = ThemeDefinition.objects.filter(organisation=organisation)
    same_key = themes.filter(key__iexact=key).first() if new else None
    same_names = themes.filter(name__iexact=name)
    same_name = (same_names if new else same_names.exclude(key=key)).first()
    clash = same_key or same_name
    if clash is not None:
        what = f"the key {clash.key}" if same_key else f"the name {clash.name}"
        raise ConflictError(f"The theme {clash.name} already has {what}: edit that theme to change its keywords, "
                            "or choose another name.", code="theme_exists", extra={"key": clash.key})  # fmt: skip


def _sentiment_model(organisation: Organisation) -> SentimentModel:
    if settings.SENTIMENT_TRANSFORMER_PATH:  # a local model the operator installed; never downloaded
        return _transformer(settings.SENTIMENT_TRANSFORMER_PATH)
    active = SentimentModelVersion.objects.filter(organisation=organisation, is_active=True).first()
    if active is None:
        return LexiconSentiment()
    return LearnedSentiment.from_bytes(bytes(active.blob))


@functools.lru_cache(maxsize=2)
def _transformer(path: str) -> SentimentModel:
    return TransformerSentiment(path)


def _staff_by_unit(organisation: Organisation) -> dict[int | None, list[StaffRecord]]:
    staff: dict[int | None, list[StaffRecord]] = {}
    for member in StaffMember.objects.filter(organisation=organisation, is_active=True).order_by("id"):
        staff.setdefault(member.unit_id, []).append(
            StaffRecord(
                id=member.id, first_name=member.first_name, last_name=member.last_name, aliases=tuple(member.aliases)
            )  # fmt: skip
        )
    return staff


def pipeline_for(*, organisation: Organisation) -> Pipeline:
    taxonomy_ensure_default(organisation=organisation)
    return Pipeline(
        languages=organisation.languages or [organisation.default_language],
        sentiment=_sentiment_model(organisation), themes=active_themes(organisation_id=organisation.id),
        staff_by_unit=_staff_by_unit(organisation),
    )  # fmt: skip


@functools.lru_cache(maxsize=64)
def _learned_version(model_pk: int) -> str:
    """The version a stored model reports once loaded (it names a changed lexicon too); models never change."""
    blob = SentimentModelVersion.objects.values_list("blob", flat=True).get(pk=model_pk)
    return LearnedSentiment.from_bytes(bytes(blob)).version


def pipeline_version_for(*, organisation: Organisation) -> str:
    """The version ``pipeline_for`` would stamp on annotations, computed without loading the models."""
    if settings.SENTIMENT_TRANSFORMER_PATH:
        return pipeline_for(organisation=organisation).version
    active = SentimentModelVersion.objects.filter(organisation=organisation, is_active=True).only("pk").first()
    return pipeline_version(
        languages=organisation.languages or [organisation.default_language],
        sentiment_version=_learned_version(active.pk) if active else LexiconSentiment.LEXICON_VERSION,
        themes=active_themes(organisation_id=organisation.id), staff_by_unit=_staff_by_unit(organisation),
    )  # fmt: skip


def _store(organisation: Organisation, items: list[TextItem], results: list[CommentResult], version: str) -> None:
    with transaction.atomic():
        # A task and the periodic reconciliation may annotate the same comments at once: one writer per
        # organisation at a time, so the delete-then-insert below never collides on an item. NO KEY: rows
        # that reference the organisation (new responses) take KEY SHARE locks, which this must not block.
        organisation_lock(organisation_id=organisation.pk)
        TextAnnotation.objects.filter(item__in=items).delete()
        annotations = TextAnnotation.objects.bulk_create(
            [
                TextAnnotation(
                    organisation=organisation, item=item, answer_id=item.answer_id, language=r.language,
                    sentiment=r.sentiment.label, sentiment_score=r.sentiment.score, redacted_text=r.redacted,
                    pii_found=r.pii_found, model_version=version,
                )
                for item, r in zip(items, results, strict=True)
            ]
        )  # fmt: skip
        AnnotationTheme.objects.bulk_create(
            [
                AnnotationTheme(annotation=a, key=key)
                for a, r in zip(annotations, results, strict=True)
                for key in r.themes
            ]
        )
        StaffMention.objects.bulk_create(
            [
                StaffMention(
                    annotation=a,
                    staff_id=m.staff_id,
                    sentiment=m.sentiment.label,
                    sentiment_score=m.sentiment.score,
                    ambiguous=m.ambiguous,
                )  # fmt: skip
                for a, r in zip(annotations, results, strict=True)
                for m in r.staff
            ]
        )


def annotations_refresh(
    *,
    organisation: Organisation,
    answer_ids: Iterable[int] | None = None,
    since_response_id: int | None = None,
    batch_size: int = 1000,
) -> int:
    """Annotate the organisation's text items (every kind) that have no annotation from the current pipeline
    version (only the items of the survey answers ``answer_ids``, or of responses from ``since_response_id`` on,
    when given). Open-text answers without a text item get one first (``text_items_from_answers``).

    Idempotent: a second run with the same models, taxonomy and staff list annotates nothing."""
    answer_ids = None if answer_ids is None else list(answer_ids)
    text_items_from_answers(organisation_id=organisation.id, answer_ids=answer_ids,
                            since_response_id=since_response_id)  # fmt: skip
    pipeline = pipeline_for(organisation=organisation)
    pending = (
        TextItem.objects.filter(organisation=organisation)
        .filter(Q(annotation__isnull=True) | ~Q(annotation__model_version=pipeline.version))
        .order_by("id")
    )
    if answer_ids is not None:
        pending = pending.filter(answer_id__in=answer_ids)
    if since_response_id is not None:
        pending = pending.filter(answer__response_id__gte=since_response_id)
    done = 0
    while True:
        batch = list(pending[:batch_size])
        if not batch:
            return done
        results = pipeline.run([item.text for item in batch], [item.unit_id for item in batch])
        _store(organisation, batch, results, pipeline.version)
        done += len(batch)


def annotations_pending(*, organisation: Organisation) -> tuple[int, int]:
    """(comments read by the current pipeline, all comments) of an organisation: the progress of a re-read.
    Comments are its text items plus the open-text answers still waiting for theirs."""
    version = pipeline_version_for(organisation=organisation)
    items = TextItem.objects.filter(organisation=organisation)
    waiting = answer_comments(organisation_id=organisation.id).filter(text_item__isnull=True).count()
    return items.filter(annotation__model_version=version).count(), items.count() + waiting


def annotations_reconcile() -> dict[int, int]:
    """Annotate, in every organisation, the comments a lost task left unread or read with an old pipeline.

    Run periodically (Celery beat); idempotent. Returns organisation id -> comments annotated."""
    done: dict[int, int] = {}
    with_items = set(TextItem.objects.values_list("organisation_id", flat=True).distinct())
    with_comments = set(answer_comments().values_list("response__organisation_id", flat=True).distinct())
    for organisation in organisation_list(ids=with_items | with_comments):
        done[organisation.id] = annotations_refresh(organisation=organisation)
    return done


RETRAIN_GROWTH = 1.25  # retrain when the scored comments grew by a quarter since the last model
RETRAIN_MINIMUM = 250


def _scored_comments(organisation: Organisation) -> QuerySet[Answer]:
    return scored_text_answer_queryset(organisation_id=organisation.id)


def sentiment_model_retrain_due(*, organisation: Organisation) -> bool:
    """Whether enough new scored comments arrived since the last training attempt (whatever its outcome)."""
    scored = _scored_comments(organisation).count()
    last = SentimentTrainingRun.objects.filter(organisation=organisation).first()
    seen = last.scored_comments if last else 0
    return scored >= RETRAIN_MINIMUM and scored >= RETRAIN_GROWTH * seen


def _held_out(text: str) -> bool:
    """A stable 1-in-5 split by the text itself, so a repeated comment never sits on both sides."""
    return hashlib.sha256(text.encode()).digest()[0] % 5 == 0


def sentiment_model_retrain(*, organisation: Organisation) -> SentimentModelVersion | None:
    """Train a sentiment model on the organisation's scored comments (weak labels from NPS/CSAT/CES).

    The model learns from four fifths of the labelled comments and is compared with the shipped lexicon
    on the fifth it did not see; it becomes the active model only if it reads that fifth better. Either
    way the version and its figures are stored. Returns None when there are too few labelled comments."""
    scored = _scored_comments(organisation)
    scored_count = scored.count()
    rows = scored.values_list("text_value", "annotation__language", "response__language", "response__nps_score",
                              "response__csat_score", "response__ces_score")  # fmt: skip
    train: list[tuple[str, str, str]] = []
    test: list[dict] = []
    for text, detected, answered_in, nps, csat, ces in rows.iterator(chunk_size=5000):
        label = weak_label(nps, csat, ces)
        if label is not None:
            language = detected if detected and detected != "unknown" else answered_in
            if _held_out(text):
                test.append({"text": text, "lang": language, "label": label})
            else:
                train.append((text, language, label))
    model = train_or_none([t for t, _, _ in train], [lang for _, lang, _ in train], [lab for *_, lab in train])
    if model is None or not test:
        SentimentTrainingRun.objects.create(organisation=organisation, scored_comments=scored_count,
                                            outcome=SentimentTrainingRun.Outcome.TOO_FEW)  # fmt: skip
        return None
    learned = evaluate(model, test)["all"]
    lexicon = evaluate(LexiconSentiment(), test)["all"]
    better = learned["macro_f1"] > lexicon["macro_f1"]
    metrics = {
        "held_out": len(test), "learned": {k: learned[k] for k in ("accuracy", "macro_f1")},
        "lexicon": {k: lexicon[k] for k in ("accuracy", "macro_f1")}, "activated": better,
    }  # fmt: skip
    with transaction.atomic():
        version, _created = SentimentModelVersion.objects.update_or_create(
            organisation=organisation, version=model.version,
            defaults={"examples": len(train), "blob": model.to_bytes(), "metrics": metrics, "is_active": better},
        )  # fmt: skip
        if better:
            SentimentModelVersion.objects.filter(organisation=organisation).exclude(pk=version.pk).update(
                is_active=False
            )
        outcome = SentimentTrainingRun.Outcome.ACTIVATED if better else SentimentTrainingRun.Outcome.KEPT
        SentimentTrainingRun.objects.create(organisation=organisation, scored_comments=scored_count,
                                            outcome=outcome, model=version)  # fmt: skip
    return version


def staff_snapshot(member: StaffMember) -> dict:
    """What the audit log keeps of a staff member."""
    return {
        "name": f"{member.first_name} {member.last_name}".strip(),
        "aliases": list(member.aliases),
        "unit": str(member.unit),
        "on the list": member.is_active,
    }


def _staff_clean(first_name: str, last_name: str, aliases: list[str] | None) -> tuple[str, str, list[str]]:
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name:
        raise ApplicationError("A staff member needs a first name.")
    if len(first_name) > 60 or len(last_name) > 60:
        raise ApplicationError("Names are limited to 60 characters.")
    return first_name, last_name, [a.strip()[:60] for a in aliases or [] if a.strip()]


def _staff_save_unique(member: StaffMember, update_fields: list[str] | None = None) -> None:
    """Save ``member`` unless its unit already lists the same name: ConflictError ``staff_name_used``.

    The query gives the message; the unique constraint (unit, name_key) decides a race, its
    IntegrityError is turned into the same error (inside a savepoint, so the caller's transaction lives)."""
    _staff_name_free(member)
    try:
        with transaction.atomic():
            member.save(update_fields=update_fields)
    except IntegrityError:
        _staff_name_free(member)
        raise


def _staff_name_free(member: StaffMember) -> None:
    same = StaffMember.objects.filter(unit_id=member.unit_id, name_key=member.name_key).exclude(pk=member.pk).first()
    if same is not None:
        state = "" if same.is_active else " (taken off the list: put them back instead)"
        raise ConflictError(f"{member.unit.name} already lists {same}{state}.", code="staff_name_used",
                            extra={"staff_id": same.id})  # fmt: skip


def _staff_list_changed(organisation_id: int) -> None:
    """The staff list is part of the pipeline's version: comments are re-read after the change commits."""
    from heed.textanalytics.tasks import annotations_refresh_task

    transaction.on_commit(lambda: annotations_refresh_task.delay(organisation_id))


@transaction.atomic
def staff_add(
    *, unit: Unit, first_name: str, last_name: str = "", aliases: list[str] | None = None, actor=None
) -> StaffMember:
    """Put a member of staff on ``unit``'s list (names as written; inflections are found by the pipeline).

    Raises ApplicationError for an empty or over-long name or a closed unit; ConflictError
    (``staff_name_used``) when the unit already lists someone (active or not) of the same first and last
    name, compared without case, accents or extra spaces (``heed.core.names.name_key``; the database's
    unique constraint decides between two concurrent requests). Recorded in the audit log."""
    from heed.accounts.services import unit_require_open
    from heed.governance.services import audit_record

    first_name, last_name, aliases = _staff_clean(first_name, last_name, aliases)
    unit_require_open(unit)
    member = StaffMember(organisation_id=unit.organisation_id, unit=unit, first_name=first_name, last_name=last_name,
                         aliases=aliases, name_key=name_key(first_name, last_name))  # fmt: skip
    _staff_save_unique(member)
    audit_record(organisation=unit.organisation_id, actor=actor, action="staff.added", target_type="staff_member",
                 target_id=member.id, target_label=staff_snapshot(member)["name"],
                 after=staff_snapshot(member))  # fmt: skip
    if actor is not None:
        _staff_list_changed(unit.organisation_id)
    return member


@transaction.atomic
def staff_update(
    *, actor, member: StaffMember, unit: Unit, first_name: str, last_name: str = "", aliases: list[str] | None = None
) -> StaffMember:
    """Rename a staff member, change their aliases or move them to another unit of the organisation.

    Raises ApplicationError and ConflictError as ``staff_add`` does, and ApplicationError for a unit of
    another organisation."""
    from heed.governance.services import audit_record

    first_name, last_name, aliases = _staff_clean(first_name, last_name, aliases)
    if unit.organisation_id != member.organisation_id:
        raise ApplicationError("The unit belongs to another organisation.")
    if unit.id != member.unit_id:
        from heed.accounts.services import unit_require_open

        unit_require_open(unit)
    before = staff_snapshot(member)
    member.first_name, member.last_name, member.aliases, member.unit = first_name, last_name, aliases, unit
    member.name_key = name_key(first_name, last_name)
    after = staff_snapshot(member)
    if after != before:
        _staff_save_unique(member, update_fields=["first_name", "last_name", "aliases", "unit", "name_key"])
        audit_record(organisation=member.organisation_id, actor=actor, action="staff.changed",
                     target_type="staff_member", target_id=member.id, target_label=after["name"], before=before,
                     after=after)  # fmt: skip
        _staff_list_changed(member.organisation_id)
    return member


@transaction.atomic
def staff_set_active(*, actor, member: StaffMember, active: bool) -> StaffMember:
    """Take a staff member off the list (past mentions are kept) or put them back (not on a closed unit's
    list: ApplicationError). Recorded in the audit log."""
    from heed.governance.services import audit_record

    if active == member.is_active:
        return member
    if active:
        from heed.accounts.services import unit_require_open

        unit_require_open(member.unit)
    before = staff_snapshot(member)
    member.is_active = active
    member.save(update_fields=["is_active"])
    audit_record(organisation=member.organisation_id, actor=actor,
                 action="staff.reactivated" if active else "staff.deactivated", target_type="staff_member",
                 target_id=member.id, target_label=before["name"], before=before,
                 after=staff_snapshot(member))  # fmt: skip
    _staff_list_changed(member.organisation_id)
    return member


def taxonomy_changed(*, organisation: Organisation) -> None:
    """The taxonomy decides the pipeline version: re-read the comments after the change commits."""
    from heed.textanalytics.tasks import annotations_refresh_task

    transaction.on_commit(lambda: annotations_refresh_task.delay(organisation.id))


def theme_toggle_active(*, organisation: Organisation, key: str) -> ThemeDefinition | None:
    theme = ThemeDefinition.objects.filter(organisation=organisation, key=key).first()
    if theme is None:
        return None
    theme.is_active = not theme.is_active
    theme.save(update_fields=["is_active"])
    taxonomy_changed(organisation=organisation)
    return theme


def text_tables_analyze() -> list[str]:
    """ANALYZE the text analytics tables a bulk load fills (text items, annotations, their themes, staff mentions)
    now, in the caller's transaction, so the planner reads them with fresh statistics (the demo seeder's last
    step). Returns the table names analyzed (``heed.core.statistics.tables_analyze``)."""
    return tables_analyze([TextItem, TextAnnotation, AnnotationTheme, StaffMention])
