"""The respondent pages: language, validation in that language, skip logic, progress, one per invitation."""

import re

from django.test import Client

from heed.distribution.services import invitations_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.services import survey_close

ANSWERS = [
    ("store_experience", "4"),
    ("merchandise", "3"),
    ("staff_behaviour", "5"),
    ("staff_professionalism", "4"),
    ("did_buy", "no"),
    ("why_not_buy", ["price", "size"]),
    ("nps", "3"),
    ("comment", "Coda lunga <alla> cassa"),
    ("age_group", "18-24"),
    ("gender", "female"),
]


def _post(client: Client, url: str, index: int, value, action: str = "next", key: str | None = None):
    """Post one step as the page does: its position and the key of the question it shows."""
    key = key or ANSWERS[index][0]
    return client.post(url, {"index": index, "question": key, "answer": value, "action": action})


def _question_key(html: str) -> str:
    match = re.search(r'data-question="([a-z0-9_]+)"', html)
    assert match, html
    return match.group(1)


def test_a_respondent_answers_in_the_browser_language_and_the_response_is_recorded(world):
    client = Client(headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"})
    url = f"/s/{world.link_a.token}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="it">' in html
    assert UI_STRINGS["it"]["progress"].format(current=1, total=9) in html  # why_not_buy hidden until "no"
    assert world.survey.questions.get(key="store_experience").texts["it"] in html
    for index, (key, value) in enumerate(ANSWERS):
        page = client.get(f"{url}?q={index}")
        assert _question_key(page.content.decode()) == key
        result = _post(client, url, index, value)
        assert result.status_code == 302
    assert result["Location"].endswith("/thanks/")
    thanks = client.get(result["Location"])
    assert UI_STRINGS["it"]["thank_you_title"] in thanks.content.decode()
    response = Response.objects.get()
    assert (response.language, response.channel, response.unit_id, response.touchpoint) == (
        "it",
        "qr",
        world.store_a.id,
        "store",
    )
    assert response.nps_score == 3 and response.age_group == "18-24"
    assert response.started_at is not None and response.duration_seconds is not None
    assert response.answers.get(question_key="why_not_buy").choice_values == ["price", "size"]


def test_validation_message_is_in_the_respondents_language_and_keeps_nothing(world):
    client = Client()
    url = f"/s/{world.link_a.token}/?lang=hr"  # the form posts to the page's own address, language included
    client.get(url)
    page = _post(client, url, 0, "")
    assert page.status_code == 422
    html = page.content.decode()
    assert UI_STRINGS["hr"]["required"] in html
    assert 'aria-invalid="true"' in html and 'role="alert"' in html
    page = _post(client, url, 0, "9")
    assert UI_STRINGS["hr"]["out_of_range"].format(min=1, max=5) in page.content.decode()
    assert Response.objects.count() == 0


def test_skip_logic_shows_why_not_only_to_those_who_did_not_buy(world):
    client = Client()
    url = f"/s/{world.link_a.token}/"
    client.get(url)
    for index, (_key, value) in enumerate(ANSWERS[:4]):
        _post(client, url, index, value)
    _post(client, url, 4, "yes")
    assert _question_key(client.get(f"{url}?q=5").content.decode()) == "nps"
    _post(client, url, 4, "no", action="next")
    assert _question_key(client.get(f"{url}?q=5").content.decode()) == "why_not_buy"


def test_back_button_keeps_earlier_answers(world):
    client = Client()
    url = f"/s/{world.link_a.token}/"
    client.get(url)
    _post(client, url, 0, "2")
    back = _post(client, url, 1, "", action="back")
    assert back["Location"].endswith("?q=0")
    assert 'value="2" checked' in client.get(back["Location"]).content.decode()


def test_an_invitation_link_admits_one_response(world):
    (invitation,) = invitations_create(
        link=world.link_b, recipients=[("ana@example.com", "Ana")], language="hr", send=False
    )
    url = f"/i/{invitation.token}/"
    client = Client()
    assert '<html lang="hr">' in client.get(url).content.decode()
    for index, (_key, value) in enumerate(ANSWERS):
        _post(client, url, index, value)
    assert Response.objects.get().invitation_id == invitation.id
    again = Client().get(url)
    assert again.status_code == 409
    assert UI_STRINGS["hr"]["already_answered"] in again.content.decode()


def test_closed_survey_and_unknown_links(world):
    survey_close(survey=world.survey)
    page = Client().get(f"/s/{world.link_a.token}/")
    assert page.status_code == 410
    assert UI_STRINGS["en"]["survey_closed"] in page.content.decode()
    assert Client().get("/s/doesnotexist123/").status_code == 404
    assert Client().post("/s/doesnotexist123/", {"answer": "x"}).status_code == 404


def test_garbage_input_never_breaks_the_page(world):
    client = Client()
    url = f"/s/{world.link_a.token}/"
    client.get(url)
    assert client.get(f"{url}?q=abc").status_code == 200
    assert client.get(f"{url}?q=999").status_code == 200
    assert client.post(url, {"index": "x", "question": "store_experience", "answer": "<script>"}).status_code == 422
    assert client.post(url, {"index": "x", "answer": "<script>"}).status_code == 409  # no question named
