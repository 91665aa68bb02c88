"""Issue 9, point 6: the respondent pages for screen-reader and keyboard users (WCAG 2.1 AA), read from the HTML.

- after a validation error the page opens on an error summary that takes the focus and links to the field, and
  the title starts with the translated "Error:" (SC 3.3.1, 2.4.3);
- the NPS end labels describe the group and the end options (SC 1.3.1);
- the title is the public survey name in the respondent's language and names the step; each step has an h1
  (SC 2.4.2, 2.4.6);
- one language control, after the answer and the buttons, that keeps what the step holds (SC 2.4.3);
- a number's range and the date format are hints tied to the field before any error (SC 3.3.2).
The focus ring's contrast (SC 1.4.11) is ``test_respondent_focus_ring.py``; the same in Chromium is
``tests/integration/test_browser_respond_a11y.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client

from heed.distribution.services import link_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, UI_STRINGS
from heed.surveys.services import question_add, survey_close, survey_create, survey_publish

LANGUAGES = ["en", "it", "hr", "bg", "ru", "et"]
assert set(LANGUAGES) == set(SUPPORTED_LANGUAGES)
VOID = {"input", "br", "meta", "link", "img", "hr", "source", "area", "base", "col", "embed", "track", "wbr"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    def text(self) -> str:
        return " ".join(" ".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)  # type: ignore[arg-type]
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)  # type: ignore[arg-type]


class Page:
    def __init__(self, html: str) -> None:
        tree = _Tree()
        tree.feed(html)
        self.nodes = list(tree.root.walk())

    def all(self, tag: str, **attrs: str) -> list[Node]:
        return [n for n in self.nodes if n.tag == tag and all(n.attrs.get(k) == v for k, v in attrs.items())]

    def one(self, tag: str, **attrs: str) -> Node:
        (node,) = self.all(tag, **attrs)
        return node

    def by_id(self, element_id: str) -> Node:
        (node,) = [n for n in self.nodes if n.attrs.get("id") == element_id]
        return node

    def described_by(self, node: Node) -> str:
        """The description a screen reader reads for ``node``: the texts its aria-describedby points at."""
        ids = node.attrs.get("aria-describedby", "").split()
        assert ids, f"{node.tag} {node.attrs} has no aria-describedby"
        return " ".join(self.by_id(i).text() for i in ids)

    def position(self, node: Node) -> int:
        return self.nodes.index(node)

    def title(self) -> str:
        return self.one("title").text()


@pytest.fixture
def six(world):
    """A survey in all six languages: a number with a range, one with a minimum only, a date, NPS, a text."""
    texts = {code: f"[{code}] How many?" for code in LANGUAGES}
    survey = survey_create(organisation=world.org, title="Internal Q3 wave (do not show)", created_by=world.analyst,
                           languages=LANGUAGES, default_language="en")  # fmt: skip
    question_add(survey=survey, data={"key": "people", "type": "number", "required": True, "texts": texts,
                                      "min_value": 1, "max_value": 12.5})  # fmt: skip
    question_add(survey=survey, data={"key": "spent", "type": "number", "texts": texts, "min_value": 0})
    when = {c: f"[{c}] When?" for c in LANGUAGES}
    question_add(survey=survey, data={"key": "visited", "type": "date", "texts": when})
    question_add(survey=survey, data={"key": "nps", "type": "nps", "required": True,
                                      "texts": {c: f"[{c}] Recommend?" for c in LANGUAGES}})  # fmt: skip
    question_add(survey=survey, data={"key": "note", "type": "text", "texts": {c: f"[{c}] Else?" for c in LANGUAGES}})
    survey_publish(survey=survey, actor=world.analyst)
    return f"/s/{link_create(survey=survey).token}/"


def _step(client: Client, url: str, index: int, key: str, answer: str = "", action: str = "next", **extra: str):
    return client.post(url, {"index": index, "question": key, "answer": answer, "action": action, **extra})


def _get(client: Client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200
    return Page(response.content.decode())


# --- 1. error summary and "Error:" in the title -----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_an_error_the_page_opens_on_a_summary_linking_to_the_field_and_the_title_says_error(six, language):
    strings = UI_STRINGS[language]
    client = Client()
    plain = _get(client, f"{six}?lang={language}")
    response = _step(client, f"{six}?lang={language}", 0, "people", "")
    assert response.status_code == 422
    page = Page(response.content.decode())
    summary = page.by_id("error-summary")
    assert summary.attrs["role"] == "alert" and summary.attrs["tabindex"] == "-1" and "autofocus" in summary.attrs
    assert page.position(summary) < page.position(page.one("form"))  # at the top, before the question
    assert page.by_id(summary.attrs["aria-labelledby"]).text() == strings["error_summary"]
    (link,) = [n for n in summary.walk() if n.tag == "a"]
    assert link.text() == strings["required"]
    field = page.by_id(link.attrs["href"].removeprefix("#"))
    assert field.tag == "input" and field.attrs["name"] == "answer" and field.attrs["aria-invalid"] == "true"
    assert strings["required"] in page.described_by(field)
    error_prefix = strings["error_title"].split("{title}")[0]
    assert error_prefix.strip() and page.title() == f"{error_prefix}{plain.title()}"
    assert "error-summary" not in str([n.attrs for n in plain.nodes])  # no summary before an error


def test_the_summary_of_a_choice_question_links_to_its_first_option(six):
    client = Client()
    for index, (key, answer) in enumerate([("people", "3"), ("spent", ""), ("visited", "")]):
        assert _step(client, six, index, key, answer).status_code == 302
    page = Page(_step(client, six, 3, "nps", "").content.decode())
    (link,) = [n for n in page.by_id("error-summary").walk() if n.tag == "a"]
    first = page.by_id(link.attrs["href"].removeprefix("#"))
    assert (first.attrs["type"], first.attrs["value"]) == ("radio", "0")
    assert page.title().startswith("Error: ")


# --- 2. NPS end labels -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "bg"])
def test_the_nps_end_labels_describe_the_group_and_the_end_options(six, language):
    strings = UI_STRINGS[language]
    client = Client()
    _step(client, six, 0, "people", "3")  # the first question is required
    page = _get(client, f"{six}?q=3&lang={language}")
    group = page.one("fieldset")
    assert page.one("legend").text() == f"[{language}] Recommend?"
    description = page.described_by(group)
    assert strings["not_likely"] in description and strings["extremely_likely"] in description
    radios = page.all("input", type="radio")
    assert [r.attrs["value"] for r in radios] == [str(point) for point in range(11)]
    assert page.described_by(radios[0]) == strings["not_likely"]
    assert page.described_by(radios[10]) == strings["extremely_likely"]
    assert all("aria-describedby" not in r.attrs for r in radios[1:10])


def test_a_rating_scale_without_labels_says_which_end_is_which(world):
    survey = survey_create(organisation=world.org, title="r", created_by=world.analyst, languages=["it"],
                           default_language="it")  # fmt: skip
    question_add(survey=survey, data={"key": "stars", "type": "rating", "texts": {"it": "Stelle?"},
                                      "min_value": 1, "max_value": 7, "options": []})  # fmt: skip
    survey_publish(survey=survey, actor=world.analyst)
    page = _get(Client(), f"/s/{link_create(survey=survey).token}/")
    assert [r.attrs["value"] for r in page.all("input", type="radio")] == [str(p) for p in range(1, 8)]
    assert page.described_by(page.one("fieldset")) == UI_STRINGS["it"]["hint_scale"].format(min=1, max=7)


# --- 4. title and heading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_title_is_the_public_name_in_the_language_and_names_the_step_and_each_step_has_a_heading(six, language):
    strings = UI_STRINGS[language]
    client = Client()
    public = strings["survey_title"].replace("{brand}", "Acme")
    titles = []
    for index, (key, answer) in enumerate([("people", "3"), ("spent", ""), ("visited", ""), ("nps", "9")]):
        page = _get(client, f"{six}?q={index}&lang={language}")
        progress = strings["progress"].format(current=index + 1, total=5)
        assert page.title() == strings["page_title"].format(progress=progress, title=public)
        (heading,) = page.all("h1")
        assert heading.text().startswith(f"[{language}] ")  # the question is the page's heading
        titles.append(page.title())
        assert _step(client, f"{six}?lang={language}", index, key, answer).status_code == 302
    assert len(set(titles)) == 4
    assert not any("Internal" in title for title in titles)


def test_the_thank_you_and_closed_pages_do_not_show_the_internal_name(six):
    client = Client()
    steps = [("people", "3"), ("spent", ""), ("visited", ""), ("nps", "9"), ("note", "")]
    for index, (key, answer) in enumerate(steps):
        last = _step(client, f"{six}?lang=ru", index, key, answer)
    thanks = Page(client.get(last["Location"]).content.decode())
    assert thanks.title() == f"{UI_STRINGS['ru']['thank_you_title']} – Опрос компании Acme"
    assert Response.objects.count() == 1
    survey_close(survey=Response.objects.get().survey)
    closed = Client().get(f"{six}?lang=ru")
    assert closed.status_code == 410
    assert Page(closed.content.decode()).title() == UI_STRINGS["en"]["survey_closed"]  # the survey's default


# --- 5. one language control, after the answer, that keeps the answer --------------------------------------------


def test_one_language_control_comes_after_the_answer_and_the_buttons(six):
    page = _get(Client(), f"{six}?q=0")
    assert page.all("a", hreflang="it") == [] and len(page.all("select")) == 1
    control = page.one("select")
    assert control.attrs["name"] == "switch_lang"
    assert page.by_id(control.attrs["id"]).tag == "select"
    (label,) = [n for n in page.all("label") if n.attrs.get("for") == control.attrs["id"]]
    assert label.text() == UI_STRINGS["en"]["language"]
    options = [n for n in control.walk() if n.tag == "option"]
    assert [(o.attrs["value"], o.attrs["lang"]) for o in options] == [(c, c) for c in LANGUAGES]
    assert [o.attrs["value"] for o in options if "selected" in o.attrs] == ["en"]
    answer = page.one("input", name="answer")
    next_button = page.one("button", value="next")
    assert page.position(answer) < page.position(next_button) < page.position(control)


def test_switching_language_keeps_a_typed_answer_valid_or_not_and_earlier_answers(six):
    client = Client()
    assert _step(client, six, 0, "people", "3").status_code == 302
    switched = _step(client, six, 1, "spent", "12.000", action="language", switch_lang="it")  # not yet valid
    assert switched.status_code == 302 and switched["Location"].endswith("?q=1&lang=it")
    page = _get(client, switched["Location"])
    assert page.one("html").attrs["lang"] == "it"
    assert page.one("input", name="answer").attrs["value"] == "12.000"  # kept as a draft, no error shown
    assert page.all("input", **{"aria-invalid": "true"}) == []
    assert [n.attrs["value"] for n in page.one("select").walk() if n.tag == "option" and "selected" in n.attrs] == [
        "it"
    ]
    back = _get(client, f"{six}?q=0")
    assert back.one("html").attrs["lang"] == "it"  # remembered for the session
    assert back.one("input", name="answer").attrs["value"] == "3"
    again = _step(client, f"{six}?lang=it", 1, "spent", "12,5", action="language", switch_lang="hr")  # valid
    assert again["Location"].endswith("?q=1&lang=hr")
    assert _get(client, again["Location"]).one("input", name="answer").attrs["value"] == "12,5"


def test_switching_language_on_a_first_visit_opens_no_session(six):
    client = Client()
    switched = _step(client, six, 0, "people", "", action="language", switch_lang="et")
    assert switched["Location"].endswith("?q=0&lang=et")
    assert "sessionid" not in client.cookies
    assert _get(client, switched["Location"]).one("html").attrs["lang"] == "et"


def test_a_language_the_survey_does_not_offer_changes_nothing(world):
    client = Client()
    url = f"/s/{world.link_a.token}/"
    switched = _step(client, url, 0, "store_experience", "", action="language", switch_lang="ru")
    assert switched["Location"].endswith("?q=0&lang=en")


# --- 6. hints before any error -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_numbers_range_and_the_date_format_are_hints_tied_to_the_field_before_any_error(six, language):
    strings = UI_STRINGS[language]
    decimal = "," if language != "en" else "."
    client = Client()
    page = _get(client, f"{six}?lang={language}")
    field = page.one("input", name="answer")
    assert page.described_by(field) == strings["hint_range"].format(min="1", max=f"12{decimal}5")
    _step(client, f"{six}?lang={language}", 0, "people", "3")
    page = _get(client, f"{six}?q=1&lang={language}")
    assert page.described_by(page.one("input", name="answer")) == strings["hint_min"].format(min="0")
    page = _get(client, f"{six}?q=2&lang={language}")
    field = page.one("input", name="answer")
    assert page.described_by(field) == strings["hint_date"]
    assert "2026-03-15" in strings["hint_date"]
    error = Page(_step(client, f"{six}?lang={language}", 2, "visited", "15/03/2026").content.decode())
    field = error.one("input", name="answer")
    assert error.described_by(field) == f"{strings['hint_date']} {strings['invalid_date']}"  # hint, then error


def test_every_respondent_pack_has_the_new_texts_with_their_placeholders():
    for language in LANGUAGES:
        strings = UI_STRINGS[language]
        assert "{min}" in strings["hint_range"] and "{max}" in strings["hint_range"]
        assert "{min}" in strings["hint_min"] and "{max}" in strings["hint_max"]
        assert strings["error_title"].endswith("{title}") and not strings["error_title"].startswith("{")
        assert "{progress}" in strings["page_title"] and "{title}" in strings["page_title"]
        assert "{brand}" in strings["survey_title"]
        if language != "en":
            for key in ("error_summary", "hint_date", "change_language", "survey_title"):
                assert strings[key] != UI_STRINGS["en"][key], (language, key)
