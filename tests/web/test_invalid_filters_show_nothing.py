"""A results page whose filters do not all validate shows no figure and no row: only the form with its errors.

The tester's reproduction: ``/dashboard/?unit=11&trend=year`` and ``/comments/?unit=11&page=0`` answered
422 with the Unit picker on the chosen store but the whole organisation's figures and comments under it.
Every page read with GET filters is walked here with a table of bad values, each beside a valid unit
filter (the trusted label); each must answer the same 400 filter-error page, computed from nothing.
A unit manager choosing a unit outside their scope is one more bad value.
"""

from __future__ import annotations

import pytest

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.responses.services import Submission, response_submit
from heed.textanalytics.services import annotations_refresh
from tests.conftest import PASSWORD, VALID_INTERCEPT, login

COMMENT = "Sentinel remark about the fitting rooms"
HUGE = "10000000000000000000"
BAD_DATES = [("date_from", "2024-02-30"), ("date_to", "2100-01-01"), ("date_from", "1999-12-31"), ("date_to", "x")]

# path -> (who reads it, the page's own template, bad (name, value) pairs)
PAGES = {
    "/dashboard/": ("analyst", "analytics/dashboard.html", [
        ("trend", "year"), ("group_by", "colour"), ("survey", "99999"), ("survey", HUGE), ("channel", "pigeon"),
        ("language", "de"), ("weighting", "x"), ("unit", "99999"), *BAD_DATES,
    ]),
    "/comments/": ("analyst", "textanalytics/comments.html", [
        ("page", "0"), ("page", "abc"), ("score", "nps_foo"), ("tone", "furious"), ("theme", "no_such_theme"),
        ("q", "x" * 101), ("survey", "99999"), ("unit", "99999"), *BAD_DATES,
    ]),
    "/surveys/{survey}/drivers/": ("analyst", "analytics/drivers.html", [
        ("outcome", "no_such_question"), ("drivers", "no_such_question"), ("channel", "pigeon"), ("unit", "99999"),
        *BAD_DATES,
    ]),
    "/themes/": ("analyst", "textanalytics/themes.html", [("discover", "xx"), ("discover", HUGE)]),
    "/organisation/audit/": ("admin", "governance/audit.html", [
        ("action", "drop_tables"), ("target_type", "planet"), ("page", "0"), ("page", HUGE), *BAD_DATES,
    ]),
    "/organisation/staff/": ("admin", "accounts/staff.html", [("unit", "99999"), ("unit", "abc"), ("unit", HUGE)]),
}  # fmt: skip
CASES = [(path, name, value) for path, (_who, _template, bad) in PAGES.items() for name, value in bad]


@pytest.fixture
def data(world):
    """One response with a comment in store A, read by the analysis; an admin for the audit log."""
    submission = Submission(survey=world.survey, language="en", unit=world.store_a)
    response_submit(submission=submission, raw_answers=VALID_INTERCEPT | {"comment": COMMENT})
    annotations_refresh(organisation=world.org)
    world.admin = user_create(organisation=world.org, username="adele", password=PASSWORD, role=Role.ADMIN)
    return world


def _assert_filter_error_page(response, page_template: str, field: str) -> None:
    assert response.status_code == 400, (response.status_code, field)
    names = {template.name for template in response.templates}
    assert "heed/filter_error.html" in names and page_template not in names, names
    html = response.content.decode()
    assert 'id="filter-error-list"' in html and f'name="{field}"' in html
    assert COMMENT not in html  # no row
    for computed in ("summary", "rows", "result", "analysis", "candidates", "members", "page"):
        assert computed not in response.context, computed  # no figure


@pytest.mark.parametrize(("path", "name", "value"), CASES)
def test_a_bad_filter_beside_a_valid_unit_shows_no_figure_and_no_row(data, path, name, value):
    who, template, _bad = PAGES[path]
    client = login(getattr(data, who))
    query = {"unit": str(data.store_a.id)} if path not in {"/themes/", "/organisation/staff/"} else {}
    query[name] = value
    response = client.get(path.format(survey=data.survey.id), query)
    _assert_filter_error_page(response, template, name)


@pytest.mark.parametrize("path", ["/dashboard/", "/comments/", "/surveys/{survey}/drivers/"])
def test_a_unit_outside_the_managers_scope_shows_no_figure_and_no_row(data, path):
    client = login(data.manager_a)
    response = client.get(path.format(survey=data.survey.id), {"unit": data.store_b.id})
    _assert_filter_error_page(response, PAGES[path][1], "unit")


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/comments/", "/surveys/{survey}/drivers/", "/organisation/audit/", "/organisation/staff/"]
)
def test_the_same_page_with_valid_filters_shows_its_results(data, path):
    who, template, _bad = PAGES[path]
    query = {"unit": data.store_a.id} if path != "/organisation/audit/" else {"action": "user.created"}
    response = login(getattr(data, who)).get(path.format(survey=data.survey.id), query)
    assert response.status_code in {200, 400} and template in {t.name for t in response.templates}
    if path == "/comments/":
        assert response.status_code == 200 and COMMENT in response.content.decode()
