"""Each posted step names its question: a stale page (browser Back, a jump ahead, an expired session)
never stores an answer under another question and never loses one silently."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape

from heed.core.channels import Channel
from heed.distribution.services import invitations_create, link_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import UI_STRINGS


def _step(client: Client, url: str, index: int, key: str, answer, action: str = "next"):
    return client.post(url, {"index": index, "question": key, "answer": answer, "action": action})


def _shown(page) -> str:
    match = re.search(r'data-question="([a-z0-9_]+)"', page.content.decode())
    assert match, page.content.decode()
    return match.group(1)


def _to_nps_through_why_not(client: Client, url: str) -> None:
    client.get(url)
    assert _step(client, url, 0, "store_experience", "3").status_code == 302
    for index, key in ((1, "merchandise"), (2, "staff_behaviour"), (3, "staff_professionalism")):
        assert _step(client, url, index, key, "").status_code == 302  # skipped (optional)
    assert _step(client, url, 4, "did_buy", "no")["Location"].endswith("?q=5")
    assert _step(client, url, 5, "why_not_buy", ["price"])["Location"].endswith("?q=6")
    assert _shown(client.get(f"{url}?q=6")) == "nps"


def _finish(client: Client, url: str) -> None:
    """Walk every step from the first, keeping what is already chosen and answering what is required."""
    page = client.get(f"{url}?q=0")
    for _step_count in range(20):
        html = page.content.decode()
        key = _shown(page)
        index = int(re.search(r'name="index" value="(\d+)"', html).group(1))
        kept = re.findall(r'value="([^"]+)" checked', html)
        answer = kept or {"store_experience": "4", "did_buy": "yes", "nps": "7"}.get(key, "")
        if isinstance(answer, list) and key != "why_not_buy":
            answer = answer[0]
        result = _step(client, url, index, key, answer)
        assert result.status_code == 302, result.content.decode()
        if result["Location"].endswith("/thanks/"):
            return
        page = client.get(result["Location"])
    raise AssertionError("never finished")


@pytest.mark.parametrize("channel", [Channel.QR, Channel.INTERCEPT, "invitation"])
def test_the_cached_nps_page_submitted_after_an_earlier_answer_changed_stores_nps(world, channel):
    if channel == "invitation":
        (invitation,) = invitations_create(link=world.link_b, recipients=[("a@example.com", "A")], send=False)
        url = f"/i/{invitation.token}/"
    else:
        url = f"/s/{link_create(survey=world.survey, channel=channel, unit=world.store_a).token}/"
    client = Client()
    _to_nps_through_why_not(client, url)
    assert _step(client, url, 4, "did_buy", "yes").status_code == 302  # back to ?q=4, now "yes"
    assert _shown(client.get(f"{url}?q=5")) == "nps"  # why_not_buy is gone, NPS moved up

    stale = _step(client, url, 6, "nps", "0")  # the browser's Back button: the cached page says index=6
    assert stale.status_code == 302 and stale["Location"].endswith("?q=6")
    assert _shown(client.get(stale["Location"])) == "comment"
    assert _step(client, url, 6, "comment", "Nice")["Location"].endswith("?q=7")
    _step(client, url, 7, "age_group", "")
    assert _step(client, url, 8, "gender", "")["Location"].endswith("/thanks/")

    response = Response.objects.get()
    assert response.nps_score == 0
    answers = {a.question_key for a in response.answers.all()}
    assert answers == {"store_experience", "did_buy", "nps", "comment"}
    assert response.answers.get(question_key="comment").text_value == "Nice"


def test_a_stale_page_for_a_question_no_longer_on_the_path_is_shown_again_with_a_message(world):
    client = Client(headers={"Accept-Language": "hr"})
    url = f"/s/{world.link_a.token}/"
    _to_nps_through_why_not(client, url)
    _step(client, url, 4, "did_buy", "yes")
    stale = _step(client, url, 5, "why_not_buy", ["price"])  # the cached why-not page
    assert stale.status_code == 409
    assert _shown(stale) == "nps"  # the question now at that step, unanswered
    assert escape(UI_STRINGS["hr"]["step_changed"]) in stale.content.decode()
    _finish(client, url)
    response = Response.objects.get()
    assert not response.answers.filter(question_key="why_not_buy").exists()
    assert response.nps_score == 7


def test_a_post_without_a_question_key_stores_nothing(world):
    client = Client()
    url = f"/s/{world.link_a.token}/"
    page = client.post(url, {"index": 0, "answer": "3", "action": "next"})
    assert page.status_code == 409 and _shown(page) == "store_experience"
    assert "sessionid" not in client.cookies


def test_jumping_ahead_shows_the_first_unanswered_question_with_a_message(world):
    client = Client(headers={"Accept-Language": "it"})
    url = f"/s/{world.link_a.token}/"
    jumped = client.get(f"{url}?q=8")
    assert jumped.status_code == 200 and _shown(jumped) == "store_experience"
    assert escape(UI_STRINGS["it"]["answer_earlier_first"]) in jumped.content.decode()


@pytest.mark.parametrize("how", ["fresh_visit", "session_expired"])
def test_an_answer_to_a_later_question_is_kept_and_the_respondent_is_led_back(world, how):
    client = Client(headers={"Accept-Language": "it"})
    url = f"/s/{world.link_a.token}/"
    if how == "session_expired":
        _step(client, url, 0, "store_experience", "4")
        client.cookies.clear()  # the session expired mid-survey
    page = client.get(f"{url}?q=8")
    index = int(re.search(r'name="index" value="(\d+)"', page.content.decode()).group(1))
    last = _step(client, url, 8, "gender", "female")  # the last question, posted from a stale or jumped page
    assert last.status_code == 302 and "/thanks/" not in last["Location"]
    back = client.get(last["Location"])
    assert _shown(back) == "store_experience" and index == 0
    assert escape(UI_STRINGS["it"]["answer_earlier_first"]) in back.content.decode()
    _step(client, url, 0, "store_experience", "5")
    _finish(client, url)
    response = Response.objects.get()
    assert response.answers.get(question_key="gender").value == "female"
    assert response.answers.get(question_key="store_experience").number_value == 5
