"""The analyst's survey builder, preview, publishing, links and QR codes, through the web pages."""

from django.test import Client

from heed.distribution.models import SurveyLink
from heed.surveys.models import Survey
from tests.conftest import login


def test_analyst_builds_previews_and_publishes_a_survey_in_the_web_ui(world):
    client = login(world.analyst)
    page = client.post(
        "/surveys/new/",
        {"title": "Checkout pulse", "template": "", "languages": ["en", "it"], "default_language": "en"},
    )
    survey = Survey.objects.get(title="Checkout pulse")
    assert page["Location"] == f"/surveys/{survey.id}/edit/"
    edit = f"/surveys/{survey.id}/edit/"
    page = client.post(
        edit,
        {
            "form": "question",
            "key": "nps",
            "type": "nps",
            "required": "on",
            "metric": "nps",
            "text_en": "Would you recommend us?",
            "text_it": "Ci consiglieresti?",
        },
    )
    assert page.status_code == 302
    page = client.post(
        edit,
        {
            "form": "question",
            "key": "channel_pick",
            "type": "single_choice",
            "text_en": "How did you pay?",
            "text_it": "Come hai pagato?",
            "options_en": "card = Card\ncash = Cash",
            "options_it": "Carta\nContanti",
            "show_if_question": "nps",
            "show_if_op": "gte",
            "show_if_value": "0",
        },
    )
    assert page.status_code == 302
    question = survey.questions.get(key="channel_pick")
    assert question.options == [
        {"value": "card", "labels": {"en": "Card", "it": "Carta"}},
        {"value": "cash", "labels": {"en": "Cash", "it": "Contanti"}},
    ]
    preview = client.get(f"/surveys/{survey.id}/preview/?lang=it").content.decode()
    assert "Ci consiglieresti?" in preview and "Contanti" in preview
    edit_page = client.get(f"{edit}?edit={question.id}").content.decode()
    assert "card = Card" in edit_page
    page = client.post(f"/surveys/{survey.id}/publish/")
    assert page["Location"] == f"/surveys/{survey.id}/links/"
    survey.refresh_from_db()
    assert survey.status == "published" and survey.versions.get().number == 1
    links = client.get(page["Location"]).content.decode()
    link = SurveyLink.objects.get(survey=survey)
    assert f"/s/{link.token}/" in links


def test_builder_shows_errors_instead_of_failing(world):
    client = login(world.analyst)
    edit = f"/surveys/{world.survey.id}/edit/"
    page = client.post(edit, {"form": "question", "key": "nps", "type": "nps", "text_en": "Again?"})
    assert page.status_code == 409
    assert "already uses the key" in page.content.decode()
    page = client.post(edit, {"form": "question", "key": "x1", "type": "single_choice", "text_en": "Pick"})
    assert "needs options" in page.content.decode()
    page = client.post(edit, {"form": "question", "key": "x2", "type": "bogus", "text_en": "?"})
    assert page.status_code == 422
    assert client.get(f"/surveys/{world.survey.id}/edit/?edit=999999").status_code == 404


def test_links_with_unit_and_qr_codes(world):
    client = login(world.analyst)
    page = client.post(
        f"/surveys/{world.survey.id}/links/",
        {"name": "Till 1", "channel": "qr", "unit": world.store_b.id, "touchpoint": "checkout"},
    )
    assert page.status_code == 302
    link = SurveyLink.objects.get(name="Till 1")
    assert (link.unit, link.channel, link.touchpoint) == (world.store_b, "qr", "checkout")
    png = client.get(f"/links/{link.id}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(f"/links/{link.id}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_only_designers_reach_the_builder(world):
    assert login(world.manager_a).get("/surveys/").status_code == 403
    assert login(world.interviewer).get(f"/surveys/{world.survey.id}/edit/").status_code == 403
    assert Client().get("/surveys/")["Location"] == "/login/?next=/surveys/"


def test_bad_question_ids_are_not_found_not_errors(world):
    client = login(world.analyst)
    edit = f"/surveys/{world.survey.id}/edit/"
    assert client.get(f"{edit}?edit=abc").status_code == 404
    assert client.post(edit, {"form": "question", "question_id": "abc", "key": "x", "type": "text"}).status_code == 404
