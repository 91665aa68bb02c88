"""No staff page points a screen reader at an id that is not there (issue 9, point 7).

Every staff page of a demo-like organisation (tests/web/staff_pages.py), as each demo login that may see it,
and every staff form sent back with its errors: each ``aria-describedby``, ``aria-labelledby`` and
``<label for>`` must name an id that is rendered, once. Django gives a field with help text
``aria-describedby="<id>_helptext"``, so the help must be rendered with that id.
"""

from __future__ import annotations

from pprint import pformat

import pytest
from django.test import Client

from heed.accounts.models import Organisation
from heed.demo.seed import DEMO_SLUG, seed_demo
from tests.web.html_references import broken_references
from tests.web.staff_pages import DEMO_LOGINS, demo_extras, forms_with_errors, staff_pages


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_demo(responses=1200, seed=5)
        organisation = Organisation.objects.get(slug=DEMO_SLUG)
        ids = demo_extras(organisation)
        yield organisation, ids
        from heed.demo.reset import demo_delete

        demo_delete()


def _client(organisation: Organisation, username: str) -> Client:
    client = Client()
    client.force_login(organisation.users.get(username=username))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_staff_page_refers_only_to_rendered_ids(demo, username):
    organisation, ids = demo
    client = _client(organisation, username)
    broken: dict[str, list[str]] = {}
    seen = 0
    for name, url in staff_pages(ids).items():
        response = client.get(url)
        if response.status_code in (403, 404):  # not this role's page (404: a response outside the role's units)
            continue
        assert response.status_code in (200, 400), (name, response.status_code)
        seen += 1
        if found := broken_references(response.content.decode()):
            broken[name] = found
    assert not broken, pformat(broken)
    assert seen >= {"admin": 32, "analyst": 24}.get(username, 10)  # the role's pages were all reached


@pytest.mark.django_db
def test_every_staff_form_with_errors_refers_only_to_rendered_ids(demo):
    organisation, ids = demo
    client = _client(organisation, "admin")
    broken: dict[str, list[str]] = {}
    for name, (url, data) in forms_with_errors(ids).items():
        response = client.post(url, data, follow=True)  # some forms come back through a redirect
        assert response.status_code in (200, 400, 422), (name, response.status_code)
        html = response.content.decode()
        assert 'class="error' in html or "errorlist" in html, name  # it came back with its errors
        if found := broken_references(html):
            broken[name] = found
    assert not broken, pformat(broken)


@pytest.mark.django_db
def test_the_set_password_page_refers_only_to_rendered_ids(demo):
    """The invitation's page (Django's password rules are the first field's help text), blank and with errors."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    organisation, _ids = demo
    user = organisation.users.get(username="manager.hr")
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    url = f"/account/set-password/{uid}/{token}/"
    client = Client()
    page = client.get(url, follow=True)  # Django moves the token into the session and redirects
    assert page.status_code == 200 and b"id_new_password1" in page.content
    assert broken_references(page.content.decode()) == []
    errors = client.post(page.redirect_chain[-1][0], {"new_password1": "a", "new_password2": "b"})
    assert errors.status_code == 200 and b'class="error' in errors.content
    assert broken_references(errors.content.decode()) == []


def test_the_page_list_covers_every_staff_template():
    """A new staff template must be added to the page list (or consciously left out here)."""
    from pathlib import Path

    import heed

    root = Path(heed.__file__).parent
    templates = {p.relative_to(root).as_posix() for p in root.glob("*/templates/**/*.html")}
    respondent_or_partial = {t for t in templates if "/respond" in t or "/responses/" in t or "/partials/" in t
                             or Path(t).name.startswith("_")}  # fmt: skip
    shell = {f"web/templates/heed/{name}.html" for name in (
        "base", "edge_error", "http_error", "no_access", "login", "login_locked", "set_password",
        "set_password_done", "filter_error")}  # fmt: skip
    covered = {
        "accounts/templates/accounts/" + n for n in (
            "profile.html", "staff.html", "staff_edit.html", "tokens.html", "unit_edit.html", "units.html",
            "user_edit.html", "users.html")
    } | {
        "analytics/templates/analytics/" + n for n in ("dashboard.html", "dashboard_refused.html", "drivers.html",
                                                       "weighting.html")
    } | {"distribution/templates/distribution/" + n for n in ("links.html", "contacts.html")} | {
        "governance/templates/governance/audit.html"
    } | {
        "surveys/templates/surveys/" + n for n in ("edit.html", "import.html", "list.html", "new.html", "preview.html")
    } | {"textanalytics/templates/textanalytics/" + n for n in ("comments.html", "themes.html")} | {
        # the interviewer's list and the reassign form need assignments, which the demo does not seed yet:
        # tests/fieldwork/test_pages.py renders them
        "fieldwork/templates/fieldwork/" + n for n in ("supervision.html", "mine.html", "reassign.html", "sites.html",
                                                       "interviewer.html", "interview.html")
    } | {
        # the offline interviewer app's shell: app.js draws its screens (tests/integration/test_browser_pwa_offline.py)
        "fieldwork/templates/fieldwork/app.html"
    } | {
        # a call list's page needs a list, which tests/cati/test_pages.py makes (the demo's is in another org)
        "cati/templates/cati/" + n for n in ("lists.html", "next_call.html", "list_detail.html")
    }  # fmt: skip
    assert templates - respondent_or_partial - shell == covered
