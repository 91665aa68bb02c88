"""Every staff page of a demo-like organisation, for the checks that loop over all of them (reflow at 320 px,
id references, the key under the tables): the real demo seed (four published surveys, forty stores, six
languages, themes, staff lists) plus a draft survey, a weighting scheme and an API token so that every table
and form has rows.

``demo_extras`` adds those rows and returns the ids the URLs need; ``staff_pages`` lists the pages by name.
The URLs are the same for every role: a page a role may not see answers 403 and the loops skip it.
"""

from __future__ import annotations

from dataclasses import dataclass

from heed.accounts.models import Organisation
from heed.accounts.services import api_token_create
from heed.analytics.weighting import weighting_scheme_compute, weighting_scheme_create
from heed.responses.models import Response
from heed.responses.services import response_edit, response_review_set
from heed.surveys.models import Survey
from heed.surveys.services import question_add, survey_create

# The demo's logins, one per role that has pages (interviewers and agents have none).
DEMO_LOGINS = ("admin", "analyst", "manager.it09", "manager.hr")
# a title with a word longer than a phone is wide: it must wrap, not widen the page
DRAFT_TITLE = "Draft with skip logic: Kundenzufriedenheitsbefragungsentwurfsversion-Filialnetzwerk-2026"


@dataclass(frozen=True)
class DemoIds:
    survey: int  # the published intercept survey (drivers, weighting, links)
    draft: int  # a draft with skip logic
    question: int  # a question of the draft, to open the builder's edit form
    user: int
    unit: int
    staff: int
    theme: str
    scheme: int  # a computed weighting scheme of ``survey``
    other: int  # another published survey (its dashboard refuses ``scheme``)
    response: int  # a response of ``survey`` at IT-09 with a review history (has issues, then an edit)


def demo_extras(organisation: Organisation) -> DemoIds:
    """Add a draft survey, a weighting scheme and a token to the seeded demo; the ids the pages need."""
    analyst = organisation.users.get(username="analyst")
    intercept = Survey.objects.get(organisation=organisation, title="Store visit (intercept)")
    draft = survey_create(
        organisation=organisation, title=DRAFT_TITLE, created_by=analyst, languages=["en", "it"],
        default_language="en",
    )  # fmt: skip
    first = question_add(survey=draft, data={
        "key": "visit_reason", "type": "single_choice", "required": True, "metric": "",
        "texts": {"en": "Why did you visit?", "it": "Perché è venuto?"},
        "options": [{"value": "just_browsing", "labels": {"en": "Just browsing", "it": "Solo per guardare"}},
                    {"value": "pick_up_order", "labels": {"en": "Picking up an order", "it": "Ritiro ordine"}}],
    })  # fmt: skip
    question_add(survey=draft, data={
        "key": "score", "type": "nps", "required": False, "metric": "nps", "texts": {"en": "Recommend?"},
        "show_if": {"question": "visit_reason", "op": "eq", "value": "pick_up_order"},
    })  # fmt: skip
    scheme = weighting_scheme_create(
        survey=intercept, name="Census 2021 by age group and gender", created_by=analyst,
        targets={"gender": {"female": 0.52, "male": 0.46, "na": 0.02}},
    )  # fmt: skip
    weighting_scheme_compute(scheme=scheme)  # ready now, whether or not tasks run in this process
    for user in organisation.users.all():
        api_token_create(user=user, name="Checkout system of the flagship store")
    response = Response.objects.filter(survey=intercept, unit__code="IT-09").order_by("id").first()
    response_review_set(actor=analyst, response=response, state="has_issues", comment="Q3 inconsistent with Q5")
    answers = {a.question_key: a.value for a in response.answers.all()}
    nps_key = next(key for key in answers if key.startswith("nps") or key == "recommend")
    response_edit(actor=analyst, response=response, answers=answers | {nps_key: 0 if answers[nps_key] else 10},
                  comment="the respondent corrected the score")  # fmt: skip
    return DemoIds(
        survey=intercept.id,
        draft=draft.id,
        question=first.id,
        user=organisation.users.get(username="manager.hr").id,
        unit=organisation.units.get(code="IT-09").id,
        staff=organisation.units.get(code="IT-09").staff.first().id,
        theme=organisation.themes.order_by("key").first().key,
        scheme=scheme.id,
        other=Survey.objects.get(organisation=organisation, title="After your purchase").id,
        response=response.id,
    )


def staff_pages(ids: DemoIds) -> dict[str, str]:
    """Name -> URL of every staff page (GET), with the variants that change what a table or form shows."""
    s = ids.survey
    return {
        "dashboard": "/dashboard/",
        "dashboard by store, weekly": f"/dashboard/?survey={s}&group_by=unit&trend=week",
        "dashboard by touchpoint": f"/dashboard/?survey={s}&group_by=touchpoint",
        "dashboard weighted": f"/dashboard/?survey={s}&weighting={ids.scheme}&group_by=gender",
        "dashboard with a filter error": "/dashboard/?date_from=yesterday",
        "dashboard refusing another survey's weighting": f"/dashboard/?survey={ids.other}&weighting={ids.scheme}",
        "drivers": f"/surveys/{s}/drivers/",
        "drivers with a filter error": f"/surveys/{s}/drivers/?outcome=nonsense",
        "weighting": f"/surveys/{s}/weighting/",
        "comments": "/comments/",
        "comments of a theme": f"/comments/?theme={ids.theme}&tone=negative",
        "comments with a filter error": "/comments/?page=zero",
        "themes": "/themes/",
        "themes: discover": "/themes/?discover=it#discover",
        "themes: edit": f"/themes/?edit={ids.theme}#edit",
        "survey list": "/surveys/",
        "new survey": "/surveys/new/",
        "import XLSForm": "/surveys/import/",
        "builder": f"/surveys/{s}/edit/",
        "builder of a draft": f"/surveys/{ids.draft}/edit/",
        "builder editing a question": f"/surveys/{ids.draft}/edit/?edit={ids.question}#question-form",
        "preview": f"/surveys/{ids.draft}/preview/",
        "links": f"/surveys/{s}/links/",
        "tokens": "/account/tokens/",
        "settings": "/account/settings/",
        "users": "/organisation/",
        "user": f"/organisation/users/{ids.user}/",
        "units": "/organisation/units/",
        "unit": f"/organisation/units/{ids.unit}/",
        "staff lists": "/organisation/staff/",
        "staff member": f"/organisation/staff/{ids.staff}/",
        "audit log": "/organisation/audit/",
        "audit log with a filter error": "/organisation/audit/?date_from=never",
        "fieldwork supervision": "/fieldwork/",
        "response review": f"/responses/{ids.response}/",
        "fieldwork sites": "/fieldwork/sites/",
        "call lists": "/calls/",
        "contacts": "/contacts/",
        "contacts searched": "/contacts/?q=a&unit=999999&page=abc",
        "next call": "/calls/next/",
    }


def forms_with_errors(ids: DemoIds) -> dict[str, tuple[str, dict[str, str]]]:
    """Name -> (URL, POST data) of each staff form sent with a mistake, so that it comes back with its errors."""
    s = ids.survey
    return {
        "new survey": ("/surveys/new/", {"title": "", "languages": "xx"}),
        "question": (
            f"/surveys/{ids.draft}/edit/",
            {
                "form": "question",
                "key": "bad key!",
                "type": "bogus",
                "metric": "x",
                "min_value": "low",
                "max_value": "high",
                "show_if_op": "maybe",
            },
        ),
        "survey settings": (f"/surveys/{ids.draft}/settings/", {"title": "", "default_language": "xx"}),
        "link": (f"/surveys/{s}/links/", {"name": "", "channel": "carrier-pigeon"}),
        "weighting": (f"/surveys/{s}/weighting/", {"name": "", "margins": "age_group,18-24,abc", "trim_lower": "x"}),
        "theme": ("/themes/", {"name": "", "key": "bad key!"}),
        "token": ("/account/tokens/", {"name": ""}),
        "settings": ("/account/settings/", {"language": "xx"}),
        "invite": ("/organisation/", {"username": "", "email": "not-an-address", "role": "emperor"}),
        "user": (f"/organisation/users/{ids.user}/", {"role": "emperor", "email": "not-an-address"}),
        "unit": ("/organisation/units/", {"code": "", "name": "", "kind": "galaxy"}),
        "unit edit": (f"/organisation/units/{ids.unit}/", {"name": "", "country": "Italy"}),
        "staff": ("/organisation/staff/", {"first_name": "", "unit": "0"}),
        "staff edit": (f"/organisation/staff/{ids.staff}/", {"first_name": "", "aliases": ""}),
        "fieldwork site": (
            "/fieldwork/sites/",
            {"unit": "0", "time_zone": "", "latitude": "north", "opening_hours": "mon-fri"},
        ),
        "contacts import": ("/contacts/", {"region": "Croatia"}),
        "response review": (f"/responses/{ids.response}/", {"action": "review", "state": "received"}),
        "response edit": (f"/responses/{ids.response}/", {"action": "edit", "comment": "emptied"}),
    }
