"""The checker of id references itself (tests/web/html_references.py): it must find what it is for."""

from tests.web.html_references import broken_references


def test_a_sound_page_has_no_broken_references():
    html = ('<label for="a">A</label><input id="a" aria-describedby="a_helptext a_error">'
            '<span id="a_helptext">help</span><p id="a_error">wrong</p>'
            '<div role="region" aria-labelledby="t"><h2 id="t">T</h2></div>')  # fmt: skip
    assert broken_references(html) == []


def test_missing_empty_and_duplicate_ids_are_found():
    html = ('<label for="">A</label><label for="b">B</label><input id="a" aria-describedby="a_helptext">'
            '<p id="c"></p><p id="c"></p>')  # fmt: skip
    assert broken_references(html) == [
        "<label for=''>", "<label for='b'>", "<input aria-describedby='a_helptext'>", "id 'c' used 2 times",
    ]  # fmt: skip
