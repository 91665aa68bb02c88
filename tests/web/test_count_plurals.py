"""Counts shown to people take the plural form of their language (English 1/other, hr and ru three forms)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import ngettext

from heed.cati.services import call_list_create
from tests.conftest import login

FORMS = [
    ("%(count)d person added", "%(count)d people added"),
    ("%(count)d interview stored", "%(count)d interviews stored"),
    ("%(count)d already stored", "%(count)d already stored"),
    ("%(count)d already on the list", "%(count)d already on the list"),
]


def test_one_person_added_to_a_call_list_is_singular_in_english(world):
    call_list = call_list_create(actor=world.analyst, survey=world.survey, name="One", unit=world.store_a,
                                 time_zone="Europe/Zagreb", calling_hours={"mon-sun": "00:00-24:00"})  # fmt: skip
    upload = SimpleUploadedFile("p.csv", b"phone,name\n+385912345678,Ana\n", content_type="text/csv")
    page = login(world.analyst).post(f"/calls/lists/{call_list.id}/", {"file": upload}, follow=True)
    html = page.content.decode()
    assert "1 person added, 0 already on the list." in html
    assert "1 people added" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", {1: "1 interview stored", 2: "2 interviews stored", 5: "5 interviews stored"}),
        ("hr", {1: "1 intervju spremljen", 2: "2 intervjua spremljena", 5: "5 intervjua spremljeno",
                21: "21 intervju spremljen"}),
        ("ru", {1: "1 интервью сохранено", 3: "3 интервью сохранены", 11: "11 интервью сохранено"}),
    ],
)  # fmt: skip
def test_interviews_stored_take_the_languages_plural_form(language, expected):
    with translation.override(language):
        for n, text in expected.items():
            assert ngettext(*FORMS[1], n) % {"count": n} == text


@pytest.mark.parametrize("language", ["it", "hr", "bg", "ru", "et"])
@pytest.mark.parametrize(("singular", "plural"), FORMS)
def test_count_messages_are_translated(language, singular, plural):
    with translation.override(language):
        for n in (1, 2, 5):
            assert ngettext(singular, plural, n) not in (singular, plural)
