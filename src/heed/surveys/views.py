"""Analyst pages for surveys: list, create (blank or template), builder, preview, publish.

The links of a survey (and their QR codes) are distribution's pages (``heed.distribution.views``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from heed.accounts.permissions import can_design_surveys
from heed.accounts.selectors import organisation_of
from heed.core.errors import ApplicationError, NotFoundError
from heed.distribution.publishing import survey_publish_shared
from heed.responses.headlines import version_metrics_correct
from heed.surveys.answering import visible_questions
from heed.surveys.definition import METRICS
from heed.surveys.forms import QuestionForm, SurveyCreateForm, SurveySettingsForm, XLSFormUploadForm
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, UI_STRINGS
from heed.surveys.models import Question, Survey
from heed.surveys.publish_checks import METRIC_NAMES
from heed.surveys.selectors import survey_get, survey_latest_version, survey_list, version_definition
from heed.surveys.services import (
    SurveyNotReadyError,
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_create,
    survey_definition_build,
    survey_publish_check,
    survey_update,
)
from heed.surveys.templates_library import TEMPLATES
from heed.surveys.xlsform_export import XLSX_CONTENT_TYPE, survey_xlsform
from heed.surveys.xlsform_import import MAX_XLSFORM_BYTES, XLSFormRefusedError, survey_import_xlsform
from heed.web.access import role_required

if TYPE_CHECKING:
    from heed.accounts.models import User

designer_required = role_required(can_design_surveys)


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = survey_get(organisation=organisation_of(request.user), survey_id=survey_id)  # type: ignore[arg-type]
    if survey is None:
        raise Http404
    return survey


def _question(survey: Survey, question_id: int | str) -> Question:
    try:
        question = survey.questions.filter(id=int(question_id)).first()
    except (TypeError, ValueError):
        raise Http404 from None
    if question is None:
        raise Http404
    return question


@designer_required
def surveys(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    rows = survey_list(organisation=organisation_of(user))
    return render(request, "surveys/list.html", {"rows": rows, "templates": TEMPLATES.values()})


@designer_required
def survey_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = organisation_of(user)
    initial = {
        "languages": organisation.languages,
        "default_language": organisation.default_language,
        "template": request.GET.get("template", ""),
    }
    form = SurveyCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_create(
                organisation=organisation,
                title=form.cleaned_data["title"],
                created_by=user,
                languages=form.cleaned_data["languages"],
                default_language=form.cleaned_data["default_language"],
                template_key=form.cleaned_data["template"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("survey-edit", survey_id=survey.id)
    return render(request, "surveys/new.html", {"form": form}, status=422 if form.errors else 200)


def _question_form(survey: Survey, data=None, initial=None) -> QuestionForm:
    return QuestionForm(data, initial=initial, languages=survey.languages, default_language=survey.default_language)


@designer_required
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    editing = None
    status = 200
    if request.method == "POST" and request.POST.get("form") == "question":
        editing = _question(survey, request.POST["question_id"]) if request.POST.get("question_id") else None
        form = _question_form(survey, request.POST)
        if form.is_valid():
            try:
                if editing is None:
                    question_add(survey=survey, data=form.question_data())
                else:
                    question_update(question=editing, data=form.question_data())
            except ApplicationError as exc:
                field = {"invalid_skip_logic": "show_if_question", "invalid_screening": "screen_out_op"}.get(
                    exc.code or ""
                )
                form.add_error(field, exc.message)
                status = exc.status_code  # 409: the key is taken; 400/422: skip logic refused
            else:
                messages.success(request, gettext("Question saved."))
                return redirect("survey-edit", survey_id=survey.id)
        status = 409 if status == 409 else 422
    else:
        if request.GET.get("edit"):
            editing = _question(survey, request.GET["edit"])
        initial = (
            QuestionForm.initial_from(editing, survey.languages, survey.default_language)
            if editing
            else {"key": f"q{survey.questions.count() + 1}", "type": "nps"}
        )
        form = _question_form(survey, initial=initial)
    settings_form = SurveySettingsForm(
        initial={"title": survey.title, "languages": survey.languages, "default_language": survey.default_language,
                 **{f"public_title_{code}": text for code, text in survey.public_titles.items()}}
    )  # fmt: skip
    problems = survey_publish_check(survey=survey)
    context = {
        "survey": survey,
        "questions": survey.questions.all(),
        "form": form,
        "editing": editing,
        "settings_form": settings_form,
        "public_title_fields": settings_form.public_title_fields(survey.languages),
        "blocking": [p for p in problems if p.blocking],
        "advice": [p for p in problems if not p.blocking],
        "version": survey_latest_version(survey=survey),
        "version_metrics": _version_metric_rows(survey),
    }
    return render(request, "surveys/edit.html", context, status=status)


def _version_metric_rows(survey: Survey) -> list[dict[str, Any]]:
    """Per published version with NPS/CSAT/CES questions: which question each metric reads, and the choices."""
    rows = []
    for version in survey.versions.all():
        definition = version_definition(version)
        current = definition.metric_keys()
        metrics, unread = [], []
        for metric in METRICS:
            keys = [q.key for q in definition.questions if q.type == metric]
            if not keys:
                continue
            chosen = current.get(metric)
            if chosen is None:
                unread.append(f"{', '.join(keys)} ({METRIC_NAMES[metric]})")
            suggested = chosen or (keys[0] if len(keys) == 1 else None)
            metrics.append(
                {"name": metric, "label": METRIC_NAMES[metric], "current": chosen,
                 "options": [(key, key == suggested) for key in keys]}
            )  # fmt: skip
        if metrics:
            rows.append({"version": version, "metrics": metrics, "unread": unread})
    return rows


@designer_required
@require_POST
def version_metrics(request: HttpRequest, survey_id: int, number: int) -> HttpResponse:
    """Correct which question each headline metric reads in a published version, then re-derive its responses."""
    survey = _survey(request, survey_id)
    version = survey.versions.filter(number=number).first()
    if version is None:
        raise Http404
    mapping = {metric: request.POST.get(metric) or None for metric in METRICS if metric in request.POST}
    try:
        count = version_metrics_correct(version=version, mapping=mapping)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "Version %(number)s: headline metrics saved; %(count)d response recomputed.",
                "Version %(number)s: headline metrics saved; %(count)d responses recomputed.",
                count,
            )
            % {"number": number, "count": count},
        )
    return redirect("survey-edit", survey_id=survey.id)


@designer_required
@require_POST
def survey_settings(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    form = SurveySettingsForm(request.POST)
    if form.is_valid():
        try:
            survey_update(survey=survey, **form.settings())
            messages.success(request, gettext("Survey settings saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, gettext("Give a title, at least one language and a default language among them."))
    return redirect("survey-edit", survey_id=survey.id)


@designer_required
@require_POST
def question_action(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    action = request.POST.get("action")
    try:
        if action == "delete":
            question_delete(question=question)
        elif action in ("up", "down"):
            question_move(question=question, offset=-1 if action == "up" else 1)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("survey-edit", survey_id=survey.id)


@designer_required
@require_POST
def survey_publish_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    try:
        publication = survey_publish_shared(survey=survey, actor=request.user)  # type: ignore[arg-type]
    except SurveyNotReadyError:
        messages.error(request, gettext("Not published: fix the problems listed under “Not ready to publish”."))
        return redirect("survey-edit", survey_id=survey.id)
    except ApplicationError as exc:
        messages.error(request, gettext("Not published: {reason}").format(reason=exc.message))
        return redirect("survey-edit", survey_id=survey.id)
    messages.success(request, gettext("Published version {number}.").format(number=publication.version.number))
    return redirect("survey-links", survey_id=survey.id)


@designer_required
def survey_import(request: HttpRequest) -> HttpResponse:
    """Upload an XLSForm workbook: a new draft survey, or the rows that stop it, one plain line each."""
    user: User = request.user  # type: ignore[assignment]
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_XLSFORM_BYTES:
                raise XLSFormRefusedError(
                    [gettext("The file is larger than {size} KB.").format(size=MAX_XLSFORM_BYTES // 1024)]
                )
            survey, report = survey_import_xlsform(
                organisation=organisation_of(user), created_by=user, data=upload.read(MAX_XLSFORM_BYTES + 1)
            )
        except XLSFormRefusedError as exc:
            problems = exc.extra["problems"]
        else:
            messages.success(
                request,
                ngettext(
                    "Imported “%(title)s” as a draft with %(count)d question.",
                    "Imported “%(title)s” as a draft with %(count)d questions.",
                    questions := survey.questions.count(),
                )
                % {"title": survey.title, "count": questions},
            )
            for line in report.lines():
                messages.info(request, line)
            return redirect("survey-edit", survey_id=survey.id)
    status = 422 if problems or form.errors else 200
    return render(request, "surveys/import.html", {"form": form, "problems": problems}, status=status)


@designer_required
def survey_xlsform_download(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The survey's latest version (or ``?version=N``; the draft before the first publish) as an XLSForm."""
    survey = _survey(request, survey_id)
    raw = request.GET.get("version", "")
    if raw and not (raw.isdigit() and 0 < int(raw) < 2**31):
        raise Http404
    try:
        exported = survey_xlsform(survey=survey, number=int(raw) if raw else None)
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, gettext("No XLSForm: {reason}").format(reason=exc.message))
        return redirect("survey-edit", survey_id=survey.id)
    response = HttpResponse(exported.content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@designer_required
def survey_preview(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    requested = request.GET.get("lang", "")
    language = requested if requested in survey.languages else survey.default_language
    try:
        definition = survey_definition_build(survey=survey)
    except ApplicationError as exc:
        messages.error(request, gettext("The draft cannot be previewed yet: {reason}").format(reason=exc.message))
        return redirect("survey-edit", survey_id=survey.id)
    items = []
    for question in definition.questions:
        labels = [label for _value, label in question.choices(language, definition.default_language)]
        items.append(
            {"question": question, "text": question.text(language, definition.default_language), "labels": labels}
        )
    return render(
        request,
        "surveys/preview.html",
        {
            "survey": survey,
            "items": items,
            "questions": definition.questions,
            "language": language,
            "strings": UI_STRINGS.get(language, {}),
            "languages": [(c, SUPPORTED_LANGUAGES.get(c, c)) for c in survey.languages],
            "always_shown": len(visible_questions(definition, {})),
        },
    )
