"""PII redaction in comments written in Italian, Croatian, Bulgarian, Estonian, Russian and English.

Every phone number in POSITIVES was checked once, in a scratch venv, with phonenumbers 9.0.43
(``is_valid_number(parse(number, region))`` is True for the country its comment is written for); every IBAN and
card number with python-stdnum 2.2 (``stdnum.iban.is_valid``, ``stdnum.luhn.is_valid``). The cards are widely
published gateway test numbers (plus a Luhn-valid number in Mir's 2200 range); the IBANs are the well-known
SWIFT/ECBS examples, except DE02370400440532010007, made for the overlap test below.
"""

import pytest

from heed.nlp.pii import (
    ALL_KINDS,
    CARD,
    EMAIL,
    IBAN,
    PHONE,
    PLACEHOLDERS,
    PiiMatch,
    Redaction,
    iban_valid,
    luhn_valid,
    redact,
)

# (comment, masked comment, [(kind, the original text of each match)])
POSITIVES = [
    # Italian
    ("Chiamatemi al 333 123 4567", "Chiamatemi al [phone]", [(PHONE, "333 123 4567")]),
    ("il numero è 333 1234567, grazie", "il numero è [phone], grazie", [(PHONE, "333 1234567")]),
    ("cell. 333.123.4567", "cell. [phone]", [(PHONE, "333.123.4567")]),
    (
        "ufficio 06 1234 5678 o +39 06 1234 5678",
        "ufficio [phone] o [phone]",
        [(PHONE, "06 1234 5678"), (PHONE, "+39 06 1234 5678")],
    ),
    ("dall'estero 0039 333 1234567", "dall'estero [phone]", [(PHONE, "0039 333 1234567")]),
    ("Scrivetemi a mario.rossi@example.it.", "Scrivetemi a [email].", [(EMAIL, "mario.rossi@example.it")]),
    (
        "Rimborso su IT60X0542811101000000123456, grazie",
        "Rimborso su [iban], grazie",
        [(IBAN, "IT60X0542811101000000123456")],
    ),
    (
        "IBAN IT60 X054 2811 1010 0000 0123 456 intestato a me",
        "IBAN [iban] intestato a me",
        [(IBAN, "IT60 X054 2811 1010 0000 0123 456")],
    ),
    # Croatian
    ("moj broj je 091 234 5678", "moj broj je [phone]", [(PHONE, "091 234 5678")]),
    (
        "nazovite 01/2345-678 ili 091/234-5678",
        "nazovite [phone] ili [phone]",
        [(PHONE, "01/2345-678"), (PHONE, "091/234-5678")],
    ),
    (
        "Tel +385 1 2345 678 ili 00385 91 234 5678",
        "Tel [phone] ili [phone]",
        [(PHONE, "+385 1 2345 678"), (PHONE, "00385 91 234 5678")],
    ),
    ("broj: 098 123 4567.", "broj: [phone].", [(PHONE, "098 123 4567")]),
    ("povrat na HR1210010051863000160", "povrat na [iban]", [(IBAN, "HR1210010051863000160")]),
    ("povrat na HR12 1001 0051 8630 0016 0 hvala", "povrat na [iban] hvala", [(IBAN, "HR12 1001 0051 8630 0016 0")]),
    ("IBAN malim slovima: hr1210010051863000160", "IBAN malim slovima: [iban]", [(IBAN, "hr1210010051863000160")]),
    # Bulgarian
    ("мой имейл е ivan.petrov@abv.bg", "мой имейл е [email]", [(EMAIL, "ivan.petrov@abv.bg")]),
    ("Е-пощата ми е мария@пример.бг", "Е-пощата ми е [email]", [(EMAIL, "мария@пример.бг")]),
    ("телефон: 0888 123 456", "телефон: [phone]", [(PHONE, "0888 123 456")]),
    (
        "в София 02 987 6543 или +359 88 123 4567",
        "в София [phone] или [phone]",
        [(PHONE, "02 987 6543"), (PHONE, "+359 88 123 4567")],
    ),
    ("сметка BG80BNBG96611020345678", "сметка [iban]", [(IBAN, "BG80BNBG96611020345678")]),
    ("сметка BG80 BNBG 9661 1020 3456 78.", "сметка [iban].", [(IBAN, "BG80 BNBG 9661 1020 3456 78")]),
    # Estonian
    ("helista 5123 4567", "helista [phone]", [(PHONE, "5123 4567")]),
    ("Palun helista +372 5123 4567", "Palun helista [phone]", [(PHONE, "+372 5123 4567")]),
    (
        "kontor 612 3456 või +372 612 3456",
        "kontor [phone] või [phone]",
        [(PHONE, "612 3456"), (PHONE, "+372 612 3456")],
    ),
    ("konto EE382200221020145685", "konto [iban]", [(IBAN, "EE382200221020145685")]),
    ("konto EE38 2200 2210 2014 5685", "konto [iban]", [(IBAN, "EE38 2200 2210 2014 5685")]),
    # Russian
    ("Позвоните +7 (912) 345-67-89", "Позвоните [phone]", [(PHONE, "+7 (912) 345-67-89")]),
    (
        "звоните 8 (912) 345-67-89 или 8-800-555-35-35",
        "звоните [phone] или [phone]",
        [(PHONE, "8 (912) 345-67-89"), (PHONE, "8-800-555-35-35")],
    ),
    ("офис (495) 123-45-67", "офис [phone]", [(PHONE, "(495) 123-45-67")]),
    ("😀 чуть не забыл: 8 912 345 67 89", "😀 чуть не забыл: [phone]", [(PHONE, "8 912 345 67 89")]),
    # English: Ireland, UK, US
    (
        "Irish mobile 087 123 4567 or +353 87 123 4567",
        "Irish mobile [phone] or [phone]",
        [(PHONE, "087 123 4567"), (PHONE, "+353 87 123 4567")],
    ),
    ("Dublin office 01 234 5678", "Dublin office [phone]", [(PHONE, "01 234 5678")]),
    (
        "UK 020 7946 0958, +44 (0)20 7946 0958, ring 07712 345678",
        "UK [phone], [phone], ring [phone]",
        [(PHONE, "020 7946 0958"), (PHONE, "+44 (0)20 7946 0958"), (PHONE, "07712 345678")],
    ),
    (
        "Call (415) 555-2671, 415.555.2671 or 1-800-555-0199",
        "Call [phone], [phone] or [phone]",
        [(PHONE, "(415) 555-2671"), (PHONE, "415.555.2671"), (PHONE, "1-800-555-0199")],
    ),
    ("call me on +1 (415) 555-2671!", "call me on [phone]!", [(PHONE, "+1 (415) 555-2671")]),
    (
        "Refund to GB82WEST12345698765432 or GB82 WEST 1234 5698 7654 32",
        "Refund to [iban] or [iban]",
        [(IBAN, "GB82WEST12345698765432"), (IBAN, "GB82 WEST 1234 5698 7654 32")],
    ),
    (
        "They charged my card 4111 1111 1111 1111 twice!",
        "They charged my card [card] twice!",
        [(CARD, "4111 1111 1111 1111")],
    ),
    ("Mastercard 5500-0000-0000-0004 declined", "Mastercard [card] declined", [(CARD, "5500-0000-0000-0004")]),
    (
        "Amex 3782 822463 10005, 378282246310005; Diners 3056 930902 5904",
        "Amex [card], [card]; Diners [card]",
        [(CARD, "3782 822463 10005"), (CARD, "378282246310005"), (CARD, "3056 930902 5904")],
    ),
    (
        "Discover 6011111111111117, Visa-13 4222222222222, Mir 2200 0000 0000 0004",
        "Discover [card], Visa-13 [card], Mir [card]",
        [(CARD, "6011111111111117"), (CARD, "4222222222222"), (CARD, "2200 0000 0000 0004")],
    ),
    ("my card 4111 1111 1111 1111 12/27 123", "my card [card] 12/27 123", [(CARD, "4111 1111 1111 1111")]),
    # Shorter and freephone numbers
    ("София 02 123 713 или 02-123-713", "София [phone] или [phone]", [(PHONE, "02 123 713"), (PHONE, "02-123-713")]),
    ("numero verde 800 669 453", "numero verde [phone]", [(PHONE, "800 669 453")]),
    (
        "Freephone 1800 654 108, Cork (022) 13340",
        "Freephone [phone], Cork [phone]",
        [(PHONE, "1800 654 108"), (PHONE, "(022) 13340")],
    ),
    ("tasuta 8001 5465", "tasuta [phone]", [(PHONE, "8001 5465")]),
    ("Tel.333 1234567", "Tel.[phone]", [(PHONE, "333 1234567")]),
    # Neighbours: a number is still judged once the PII beside it is masked
    ("tel 333 123 4567 2 volte", "tel [phone] 2 volte", [(PHONE, "333 123 4567")]),
    ("333 123 4567 - 091 234 5678", "[phone] - [phone]", [(PHONE, "333 123 4567"), (PHONE, "091 234 5678")]),
    ("il 12.03.2026 333 123 4567", "il 12.03.2026 [phone]", [(PHONE, "333 123 4567")]),
    (
        "helista 612 3456 4111 1111 1111 1111",
        "helista [phone] [card]",
        [(PHONE, "612 3456"), (CARD, "4111 1111 1111 1111")],
    ),
    ("email mario.rossi3331234567@gmail.com", "email [email]", [(EMAIL, "mario.rossi3331234567@gmail.com")]),
]

NEGATIVES = [
    # prices and amounts
    "Prezzo € 1.299,00, sconto del 15%",
    "Paid 1,299.99 USD",
    "Цена 1 299 руб.",
    "Cijena 5 999 999,00 kn",
    "Cijena 5 999 999 kn",
    "Ho speso 3 000 000 di euro in totale",
    "Потратил 333 123 456 рублей",
    # dates and times
    "Il 12.03.2026, il 2026-03-12, 03/12/2026, 3.12.2025",
    "Bili smo tamo 12. 3. 2026. u 14.30",
    "31.12.2025 г. в 9:30",
    "dalle 7.30-12.30 e 08.30-12.30, 14:30-18:00",
    # order, receipt and ticket numbers (with failing checksums, or labelled)
    "order #100234",
    "ordine 4001234567",
    "narudžba br. 51234567",
    "заказ №5123 4567",
    "tellimuse number 51234567",
    "поръчка 3331234567",
    "receipt 1234567890123",
    "order 4111111111111112",
    "Order 12345678, ticket 7654321",
    # invalid checksums
    "card 4111 1111 1111 1112",
    "5500-0000-0000-0005",
    "HR1210010051863000161",
    "IT60X0542811101000000123457",
    "GB82 WEST 1234 5698 7654 33",
    # years, standards, postal codes, percentages, short numbers, versions, ranges, counts, addresses
    "pages 500-1000, 526-2638",
    "IP 160.169.234.14, v1.20.300",
    "we have 359 987 767 customers",
    "codice 51234567, kood 6123456",
    "Nel 2026, 1999-2026, 2019 2020 2021",
    "ISO 9001 e ISO 9001:2015",
    "20121 Milano, 10000 Zagreb, 1000 София, 10111 Tallinn, 101000 Москва",
    "D02 X285 Dublin, SW1A 1AA London, CA 94105-1234",
    "95% happy, 12,5 % not",
    "code 123456, table 12, 45 minutes",
    "+3 points, version 2.5.1",
    "Nessun dato personale qui.",
    "",
]

ALL_TEXTS = [t for t, _, _ in POSITIVES] + NEGATIVES


@pytest.mark.parametrize(("text", "masked", "values"), POSITIVES)
def test_masks_personal_data(text, masked, values):
    r = redact(text)
    assert r.text == masked
    assert [(m.kind, text[m.start : m.end]) for m in r.found] == values
    assert r.count == len(values)


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_look_alikes_alone(text):
    r = redact(text)
    assert r.text == text
    assert r.found == ()
    assert r.count == 0


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_text_outside_the_matches_is_unchanged(text):
    r = redact(text)
    bounds = [0] + [x for m in r.found for x in (m.start, m.end)] + [len(text)]
    outside = [text[a:b] for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    placeholders = [m.placeholder for m in r.found] + [""]
    assert r.text == "".join(o + p for o, p in zip(outside, placeholders, strict=True))


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_redacting_twice_changes_nothing(text):
    once = redact(text)
    twice = redact(once.text)
    assert twice.text == once.text
    assert twice.count == 0


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_found_is_ordered_and_disjoint(text):
    found = redact(text).found
    ends = [m.end for m in found[:-1]]
    starts = [m.start for m in found[1:]]
    assert all(e <= s for e, s in zip(ends, starts, strict=True))
    assert all(0 <= m.start < m.end <= len(text) for m in found)


def test_spans_point_into_the_original_text_with_non_ascii_before_them():
    text = "Ciao 👋 Ђорђе, pošaljite na đorđe@primjer.hr ili nazovite 091 234 5678 — IBAN HR1210010051863000160."
    r = redact(text)
    assert r.text == "Ciao 👋 Ђорђе, pošaljite na [email] ili nazovite [phone] — IBAN [iban]."
    assert r.found == (
        PiiMatch(EMAIL, text.index("đorđe@"), text.index(" ili")),
        PiiMatch(PHONE, text.index("091"), text.index(" —")),
        PiiMatch(IBAN, text.index("HR12"), len(text) - 1),
    )


SECRETS = [
    ("mario.rossi@example.it", ["mario.rossi@example.it", "mario.rossi"]),
    ("+7 (912) 345-67-89", ["345-67-89", "79123456789"]),
    ("4111 1111 1111 1111", ["4111", "4111111111111111"]),
    ("GB82 WEST 1234 5698 7654 32", ["GB82", "WEST", "GB82WEST12345698765432"]),
]


@pytest.mark.parametrize(("secret", "fragments"), SECRETS)
def test_repr_and_str_never_show_the_value(secret, fragments):
    r = redact(f"contact: {secret} thanks")
    shown = " ".join([repr(r), str(r), repr(r.found), str(r.found[0]), repr(r.found[0])])
    assert r.count == 1
    assert [f for f in fragments if f in shown] == []


def test_iban_wins_over_a_luhn_valid_card_inside_it():
    # DE02370400440532010007 is a valid IBAN whose last 18 digits also pass Luhn and start like a card.
    text = "IBAN DE02 3704 0044 0532 0100 07"
    assert luhn_valid("370400440532010007")
    assert redact(text).text == "IBAN [iban]"
    assert redact(text).found == (PiiMatch(IBAN, 5, len(text)),)
    assert redact(text, kinds=frozenset({CARD})).text == "IBAN DE02 [card]"


MIXED = "Mail ivan@abv.bg, tel 091 234 5678, card 4111 1111 1111 1111, IBAN HR1210010051863000160"


@pytest.mark.parametrize(
    ("kinds", "masked"),
    [
        (ALL_KINDS, "Mail [email], tel [phone], card [card], IBAN [iban]"),
        (frozenset({EMAIL}), "Mail [email], tel 091 234 5678, card 4111 1111 1111 1111, IBAN HR1210010051863000160"),
        (frozenset({PHONE, CARD}), "Mail ivan@abv.bg, tel [phone], card [card], IBAN HR1210010051863000160"),
        (frozenset({IBAN}), "Mail ivan@abv.bg, tel 091 234 5678, card 4111 1111 1111 1111, IBAN [iban]"),
        (frozenset(), MIXED),
    ],
)
def test_kinds_selects_what_is_masked(kinds, masked):
    assert redact(MIXED, kinds=kinds).text == masked


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown PII kinds"):
        redact("x", kinds=frozenset({"email", "passport"}))


def test_placeholders_are_language_neutral_and_have_no_digits():
    assert PLACEHOLDERS == {EMAIL: "[email]", PHONE: "[phone]", CARD: "[card]", IBAN: "[iban]"}
    assert frozenset(PLACEHOLDERS) == ALL_KINDS
    assert Redaction("[card]", (PiiMatch(CARD, 0, 19),)).count == 1
    assert PiiMatch(CARD, 0, 19).placeholder == "[card]"


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),
        ("5500000000000004", True),
        ("378282246310005", True),
        ("30569309025904", True),
        ("79927398713", True),  # the textbook worked example
        ("4111111111111112", False),
        ("79927398710", False),
        ("0", True),
    ],
)
def test_luhn(digits, valid):
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("HR1210010051863000160", True),
        ("IT60X0542811101000000123456", True),
        ("BG80BNBG96611020345678", True),
        ("EE382200221020145685", True),
        ("GB82WEST12345698765432", True),
        ("gb82 west 1234 5698 7654 32", True),
        ("DE89370400440532013000", True),
        ("HR1210010051863000161", False),  # checksum
        ("GB82WEST1234569876543", False),  # length
        ("GB82WEST12345698765432X", False),  # length
        ("GB82 1234 1234 5698 7654 32", False),  # BBAN structure: GB bank code is 4 letters
        ("XX82WEST12345698765432", False),  # not in the registry
        ("DE02370400440532010007", True),
        ("DE99370400440532010007", False),  # passes MOD 97-10 (99 = 02 + 97), but 99 is never a check value
    ],
)
def test_iban(value, valid):
    assert iban_valid(value) is valid


def test_redacts_a_batch_of_comments():
    """Micro-benchmark workload (timing lives in benchmarks/bench_pii.py; nothing here is timed)."""
    comments = ALL_TEXTS * 100
    results = [redact(c) for c in comments]
    assert sum(r.count for r in results) == 100 * sum(len(values) for _, _, values in POSITIVES)
    assert sum(r.text.count("[") for r in results) == sum(r.count for r in results) + 100 * sum(
        t.count("[") for t in ALL_TEXTS
    )
