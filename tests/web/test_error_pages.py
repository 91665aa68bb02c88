"""Staff error pages (403, 404, 405) have the normal layout, a plain message and a way back; the API
keeps its JSON errors; a QR code exists only as PNG or SVG."""

import pytest
from django.test import Client

from heed.distribution.services import link_create
from tests.conftest import api_client, login


def _assert_page(response, status: int, words: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert words in html and 'class="nav"' in html  # the normal layout
    assert 'href="/"' in html  # a way back home


@pytest.mark.parametrize("fmt", ["gif", "jpg", "png.exe", "PNG", ""])
def test_a_qr_code_in_another_format_is_a_404_page(world, fmt):
    link = link_create(survey=world.survey)
    client = login(world.analyst)
    assert client.get(f"/links/{link.id}/qr.png")["Content-Type"] == "image/png"
    assert client.get(f"/links/{link.id}/qr.svg")["Content-Type"] == "image/svg+xml"
    _assert_page(client.get(f"/links/{link.id}/qr.{fmt}"), 404, "Page not found")


def test_a_get_on_a_post_only_page_is_a_405_page_with_a_way_back(world):
    client = login(world.analyst)
    referer = f"http://testserver/surveys/{world.survey.id}/edit/"
    page = client.get(f"/surveys/{world.survey.id}/publish/", headers={"Referer": referer})
    _assert_page(page, 405, "only takes a form submission")
    assert page["Allow"] == "POST"
    assert f'href="/surveys/{world.survey.id}/edit/"' in page.content.decode()
    foreign = client.get(f"/surveys/{world.survey.id}/publish/", headers={"Referer": "https://evil.example/x"})
    assert "evil.example" not in foreign.content.decode()


def test_a_forbidden_page_has_the_layout_and_a_message(world):
    page = login(world.manager_a).get(f"/surveys/{world.survey.id}/edit/")
    _assert_page(page, 403, "Your account cannot open this page")
    assert "Log out" in page.content.decode()


def test_an_unknown_page_has_the_layout(world):
    _assert_page(login(world.analyst).get("/no/such/page/"), 404, "Page not found")
    _assert_page(Client().get("/no/such/page/"), 404, "Page not found")


def test_api_errors_stay_json(world):
    client = api_client(world.analyst)
    assert client.get("/api/no-such-endpoint").json()["code"] == "not_found"
    wrong = client.delete("/api/metrics")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"


def test_an_unknown_survey_link_tells_the_respondent_in_their_language(world):
    from django.utils.html import escape

    from heed.surveys.i18n_strings import EDGE_STRINGS

    page = Client(headers={"Accept-Language": "hr"}).get("/s/doesnotexist123/")
    assert page.status_code == 404
    html = page.content.decode()
    assert escape(EDGE_STRINGS["hr"]["not_found"]) in html and 'class="nav"' not in html


def test_a_refused_csrf_token_says_nothing_was_saved(world):
    from django.utils.html import escape

    from heed.surveys.i18n_strings import EDGE_STRINGS

    respondent = Client(enforce_csrf_checks=True, headers={"Accept-Language": "it"})
    page = respondent.post(f"/s/{world.link_a.token}/", {"index": 0, "question": "store_experience", "answer": "4"})
    assert page.status_code == 403
    assert escape(EDGE_STRINGS["it"]["form_expired"]) in page.content.decode()
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(world.analyst)
    _assert_page(staff.post("/surveys/new/", {"title": "X"}), 403, "Form expired")
