"""The comment list: filters (score group, theme, tone, unit, language, text), scoping, masking, pages."""

from __future__ import annotations

import re

import pytest

from heed.core.errors import ApplicationError
from heed.responses.selectors import ResponseFilters
from heed.responses.services import Submission, response_submit
from heed.textanalytics.comment_selectors import MAX_PAGE_SIZE, CommentFilters, comment_page
from heed.textanalytics.services import annotations_refresh
from tests.conftest import login

QUEUE = "Long queue at the till and the cashier was rude, write to mario.rossi@example.com"  # negative, waiting
KIND = "Commessa gentilissima, negozio pulito e ordinato!"  # positive, Italian
NEUTRAL = "Bought socks and a scarf"


def _comment(world, text, nps, *, unit, language="en"):
    answers = {"store_experience": 3, "did_buy": "yes", "nps": nps, "comment": text}
    response_submit(submission=Submission(survey=world.survey, language=language, unit=unit), raw_answers=answers)


@pytest.fixture
def comments(world):
    """Store A: QUEUE (NPS 2), KIND (NPS 10, it); store B: QUEUE (NPS 5), NEUTRAL (NPS 8)."""
    _comment(world, QUEUE, 2, unit=world.store_a)
    _comment(world, KIND, 10, unit=world.store_a, language="it")
    _comment(world, QUEUE, 5, unit=world.store_b)
    _comment(world, NEUTRAL, 8, unit=world.store_b)
    annotations_refresh(organisation=world.org)
    return world


def _texts(user, filters=None, **extra) -> list[str]:
    page = comment_page(user=user, filters=filters, comment_filters=CommentFilters(**extra), page_size=MAX_PAGE_SIZE)
    return sorted(item["text"] for item in page.items)


def test_filters_by_score_group_theme_tone_unit_and_language(comments):
    analyst = comments.analyst
    assert _texts(analyst, score_group="nps_detractor") == [QUEUE, QUEUE]
    assert _texts(analyst, score_group="nps_passive") == [NEUTRAL]
    assert _texts(analyst, score_group="nps_promoter") == [KIND]
    assert _texts(analyst, theme="waiting_time") == [QUEUE, QUEUE]
    assert _texts(analyst, tone="positive") == [KIND]
    assert _texts(analyst, tone="negative") == [QUEUE, QUEUE]
    assert _texts(analyst, ResponseFilters(unit_id=comments.store_b.id)) == sorted([QUEUE, NEUTRAL])
    assert _texts(analyst, ResponseFilters(language="it")) == [KIND]
    assert _texts(analyst, ResponseFilters(unit_id=comments.store_a.id), score_group="nps_detractor") == [QUEUE]
    assert _texts(analyst, text="SCARF") == [NEUTRAL]  # case-insensitive
    assert _texts(analyst, score_group="csat_top2") == []  # this survey has no CSAT question


def test_a_unit_manager_reads_only_their_units_with_personal_data_masked(comments):
    manager = comments.manager_a  # store A only
    texts = _texts(manager)
    assert len(texts) == 2 and KIND in texts
    (masked,) = [t for t in texts if t != KIND]
    assert "mario.rossi@example.com" not in masked and "[email]" in masked
    assert _texts(manager, ResponseFilters(unit_id=comments.store_b.id)) == []  # another unit: nothing
    # The search reads what the reader sees: a masked reader cannot find a comment by the address it hides.
    assert _texts(manager, text="mario.rossi") == []
    assert _texts(comments.analyst, text="mario.rossi") == [QUEUE, QUEUE]  # both stores
    assert _texts(manager, text="[email]") == [masked]


def test_pages_are_bounded_and_a_page_past_the_end_shows_the_last(world):
    for i in range(7):
        _comment(world, f"visit number {i}", 7, unit=world.store_a)
    first = comment_page(user=world.analyst, page=1, page_size=3)
    assert (first.total, first.pages, first.page, len(first.items)) == (7, 3, 1, 3)
    assert [item["text"] for item in first.items] == ["visit number 6", "visit number 5", "visit number 4"]
    last = comment_page(user=world.analyst, page=99, page_size=3)
    assert (last.page, [item["text"] for item in last.items]) == (3, ["visit number 0"])
    assert not last.has_next and last.has_previous
    with pytest.raises(ApplicationError):
        comment_page(user=world.analyst, page_size=MAX_PAGE_SIZE + 1)
    with pytest.raises(ApplicationError):
        comment_page(user=world.analyst, page=0)


def test_the_comment_page_filters_escapes_and_pages(comments):
    comments_html = login(comments.analyst).get("/comments/", {"score": "nps_detractor"}).content.decode()
    assert comments_html.count('<p class="comment"') == 2 and "2 comments" in comments_html
    client = login(comments.analyst)
    _comment(comments, "<script>alert(1)</script> queue", 1, unit=comments.store_a)
    html = client.get("/comments/", {"q": "alert"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    theme = client.get("/comments/", {"theme": "waiting_time", "unit": comments.store_b.id}).content.decode()
    assert theme.count('<p class="comment"') == 1 and "Waiting time" in theme
    manager = login(comments.manager_a).get("/comments/").content.decode()
    assert "mario.rossi@example.com" not in manager and "personal data masked" in manager


@pytest.mark.parametrize(
    "query", [{"page": "0"}, {"page": "abc"}, {"page": "10000000000000000000"}, {"score": "nps_bogus"},
              {"tone": "furious"}, {"q": "x" * 101}, {"unit": "999999"}, {"date_to": "9999-12-31"},
              {"date_from": "0001-01-01"}, {"q": "fine\x00service"}],
)  # fmt: skip
def test_bad_filters_get_a_400_with_the_form_and_no_comments(comments, query):
    response = login(comments.analyst).get("/comments/", query)
    assert response.status_code == 400
    html = response.content.decode()
    if any("\x00" in value for value in query.values()):  # refused at the request edge
        return
    assert 'id="filter-error"' in html and "result" not in response.context
    assert QUEUE not in html and NEUTRAL not in html  # no row under filters that did not all validate
    if "date_to" in query or "date_from" in query:  # the dashboard shares the date filters
        assert login(comments.analyst).get("/dashboard/", query).status_code == 400  # no figures, the errors listed


def test_the_dashboard_drills_down_from_themes_and_units_to_the_comments(comments):
    client = login(comments.analyst)
    html = client.get("/dashboard/", {"group_by": "unit", "survey": comments.survey.id}).content.decode()
    theme_link = re.search(r'href="/comments/\?([^"]*theme=waiting_time[^"]*)"', html)
    assert theme_link and f"survey={comments.survey.id}" in theme_link.group(1)
    unit_link = re.search(rf'href="/comments/\?([^"]*unit={comments.store_b.id}[^"]*)"', html)
    assert unit_link
    followed = client.get("/comments/?" + unit_link.group(1).replace("&amp;", "&")).content.decode()
    assert followed.count('<p class="comment"') == 2  # store B's two comments
    assert "All 4 comments" in html
