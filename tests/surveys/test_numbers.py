"""Numbers are read without guessing: a table of inputs per language, and the API's plain rule."""

from __future__ import annotations

import math

import pytest

from heed.surveys.numbers import (
    DECIMAL_MARKS,
    NumberError,
    format_localised_number,
    parse_localised_number,
    parse_plain_number,
)

AMBIGUOUS = "ambiguous_number"
INVALID = "invalid_number"

# (text, expected value or the error key) per language. The comma languages share one table.
ENGLISH = [
    ("12000", 12000.0),
    ("12,000", 12000.0),
    ("1,234,567", 1234567.0),
    ("1,234.5", 1234.5),
    ("12.5", 12.5),
    (".5", 0.5),
    ("0.125", 0.125),
    ("-3", -3.0),
    ("+4.25", 4.25),
    ("\u22127", -7.0),  # the typographic minus
    ("1 234 567", 1234567.0),
    ("1\u00a0234.5", 1234.5),  # no-break space groups too
    (" 42 ", 42.0),
    ("12.000", AMBIGUOUS),  # twelve, or twelve thousand written the Italian way?
    ("1.234", AMBIGUOUS),
    ("12,5", AMBIGUOUS),  # not a grouping of three: a decimal comma?
    ("1,23,456", AMBIGUOUS),
    ("1.234,5", AMBIGUOUS),  # the other convention
    ("1,234,5", AMBIGUOUS),
    ("12,", AMBIGUOUS),
    ("1 234,5", AMBIGUOUS),
    ("1.2.3", AMBIGUOUS),
    ("twelve", INVALID),
    ("12 km", INVALID),
    ("1e3", INVALID),
    ("", INVALID),
    ("-", INVALID),
]
COMMA_DECIMAL = [
    ("12000", 12000.0),
    ("12.000", 12000.0),
    ("1.234.567", 1234567.0),
    ("1.234,5", 1234.5),
    ("12,5", 12.5),
    (",5", 0.5),
    ("0,125", 0.125),
    ("-3,5", -3.5),
    ("1 234 567", 1234567.0),
    ("1 234,5", 1234.5),
    ("1\u202f234,5", 1234.5),  # narrow no-break space (CLDR grouping for ru, bg, et)
    ("12,000", AMBIGUOUS),  # twelve, or twelve thousand written the English way?
    ("1,234", AMBIGUOUS),
    ("12.5", AMBIGUOUS),  # not a grouping of three: a decimal point?
    ("1,234.5", AMBIGUOUS),
    ("1.234.5", AMBIGUOUS),
    ("0.123", AMBIGUOUS),
    ("1.234 567", AMBIGUOUS),  # two different group separators
    ("1,2,3", AMBIGUOUS),
    ("dodici", INVALID),
    ("12€", INVALID),
]
TABLE = [("en", text, expected) for text, expected in ENGLISH] + [
    (lang, text, expected) for lang in ("it", "hr", "bg", "ru", "et") for text, expected in COMMA_DECIMAL
]


@pytest.mark.parametrize(("language", "text", "expected"), TABLE)
def test_localised_numbers_per_language(language, text, expected):
    if isinstance(expected, str):
        with pytest.raises(NumberError) as error:
            parse_localised_number(text, language)
        assert error.value.key == expected
    else:
        assert parse_localised_number(text, language) == expected


def test_every_supported_language_has_a_decimal_mark():
    from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES

    assert set(DECIMAL_MARKS) == set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12000, 12000.0),
        (12.5, 12.5),
        (-3, -3.0),
        ("12000", 12000.0),
        ("-12.5", -12.5),
        ("+7", 7.0),
        (" 8 ", 8.0),
        ("12,000", AMBIGUOUS),
        ("1,234,567", AMBIGUOUS),
        ("12,5", AMBIGUOUS),
        ("12 000", AMBIGUOUS),
        ("1.234.567", AMBIGUOUS),
        (".5", AMBIGUOUS),
        ("1e3", INVALID),
        ("0x10", INVALID),
        ("NaN", INVALID),
        (math.inf, INVALID),
        (10**400, INVALID),  # a JSON integer too large for a float (was an OverflowError)
        (-(10**400), INVALID),
        (True, INVALID),
        (False, INVALID),
        (None, INVALID),
        ([1], INVALID),
        ({"value": 1}, INVALID),
    ],
)
def test_the_api_accepts_json_numbers_and_plain_strings_only(raw, expected):
    if isinstance(expected, str):
        with pytest.raises(NumberError) as error:
            parse_plain_number(raw)
        assert error.value.key == expected
    else:
        assert parse_plain_number(raw) == expected


@pytest.mark.parametrize("language", sorted(DECIMAL_MARKS))
@pytest.mark.parametrize("value", [0.0, 12.0, 12000.0, 12.5, -3.25, 1.125, 0.001, 1234567.891])
def test_a_shown_number_reads_back_as_the_same_value(language, value):
    assert parse_localised_number(format_localised_number(value, language), language) == value
