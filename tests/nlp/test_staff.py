"""Staff mentions in feedback: inflected names per language, ambiguity, word boundaries, sentence spans."""

from __future__ import annotations

import pytest

from heed.demo.comment_bank import STAFF_PRAISE
from heed.demo.scenario import STAFF_NAMES
from heed.nlp.staff import StaffMatcher, StaffMember, StaffMention, name_forms, sentence_spans


def _found(matcher: StaffMatcher, text: str, lang: str) -> list[tuple[int | str, str, bool]]:
    return [(m.staff_id, text[m.start : m.end], m.ambiguous) for m in matcher.find(text, lang)]


# (lang, staff first names, text, expected [(first name of the staff member, words as written)])
INFLECTED = [
    ("hr", ["Ivana"], "Hvala Ivani na strpljenju!", [("Ivana", "Ivani")]),
    ("hr", ["Ivana"], "Razgovarala sam s Ivanom na blagajni.", [("Ivana", "Ivanom")]),
    ("hr", ["Ivana"], "Pohvale za Ivanu!", [("Ivana", "Ivanu")]),
    ("hr", ["Ivan"], "Ivanu sve pohvale.", [("Ivan", "Ivanu")]),
    ("hr", ["Ivan"], "Bez Ivana bih otišla praznih ruku.", [("Ivan", "Ivana")]),
    ("hr", ["Marko"], "Zahvaljujem Marku na savjetu.", [("Marko", "Marku")]),
    ("hr", ["Petar"], "Petra sam pitao za pomoć.", [("Petar", "Petra")]),
    ("hr", ["Luka"], "S Lukom je sve bilo lako.", [("Luka", "Lukom")]),
    ("ru", ["Ольга"], "Спасибо Ольге за помощь!", [("Ольга", "Ольге")]),
    ("ru", ["Ольга"], "Я говорила с Ольгой, она всё объяснила.", [("Ольга", "Ольгой")]),
    ("ru", ["Ольга"], "Хочу отметить Ольгу из отдела для дома.", [("Ольга", "Ольгу")]),
    ("ru", ["Сергей"], "Благодарю Сергея! Передайте Сергею привет.", [("Сергей", "Сергея"), ("Сергей", "Сергею")]),
    ("ru", ["Дмитрий"], "С Дмитрием было приятно общаться.", [("Дмитрий", "Дмитрием")]),
    ("ru", ["Алёна"], "Спасибо Алене!", [("Алёна", "Алене")]),  # ё written as е
    ("bg", ["Мария"], "Благодаря на Мария от касата.", [("Мария", "Мария")]),
    ("bg", ["Иван"], "Иване, благодаря ти!", [("Иван", "Иване")]),
    ("bg", ["Елена"], "Благодаря, Елено!", [("Елена", "Елено")]),
    ("et", ["Kadri"], "Suur aitäh Kadrile!", [("Kadri", "Kadrile")]),
    ("et", ["Kadri"], "Rääkisin Kadriga ja sain hea nõu.", [("Kadri", "Kadriga")]),
    ("et", ["Martin"], "Martini abi oli asendamatu.", [("Martin", "Martini")]),
    ("et", ["Rasmus"], "Kiitus Rasmusele!", [("Rasmus", "Rasmusele")]),
    ("it", ["Giulia"], "Grazie mille a Giulia!", [("Giulia", "Giulia")]),
    ("it", ["Giulia", "Marco"], "Giulia e Marco sono bravissimi.", [("Giulia", "Giulia"), ("Marco", "Marco")]),
    ("en", ["Liam"], "Liam’s advice was spot on.", [("Liam", "Liam")]),
    ("en", ["Siobhan"], "big thanks to siobhan", [("Siobhan", "siobhan")]),
]


@pytest.mark.parametrize(("lang", "names", "text", "expected"), INFLECTED)
def test_inflected_forms(lang, names, text, expected):
    staff = [StaffMember(id=n, first_name=n) for n in names]
    assert _found(StaffMatcher(staff), text, lang) == [(staff_id, words, False) for staff_id, words in expected]


@pytest.mark.parametrize("lang", sorted(STAFF_PRAISE))
def test_every_demo_praise_finds_the_named_staff_member(lang):
    staff = [StaffMember(id=i, first_name=name) for i, name in enumerate(STAFF_NAMES[lang])]
    matcher = StaffMatcher(staff)
    for template in STAFF_PRAISE[lang]:
        for member in staff:
            text = template.format(name=member.first_name)
            mentions = matcher.find(text, lang)
            assert [(m.staff_id, m.ambiguous) for m in mentions] == [(member.id, False)], text
            m = mentions[0]
            assert text[m.start : m.end] == member.first_name
            assert m.sentence_start <= m.start < m.end <= m.sentence_end


def test_two_staff_with_the_same_first_name_are_both_returned_as_ambiguous():
    matcher = StaffMatcher(
        [StaffMember(1, "Ivana", "Horvat"), StaffMember(2, "Ivana", "Perić"), StaffMember(3, "Marko")]
    )
    assert _found(matcher, "Ivana je bila divna.", "hr") == [(1, "Ivana", True), (2, "Ivana", True)]
    assert _found(matcher, "Hvala Ivani Perić!", "hr") == [(2, "Ivani Perić", False)]
    assert _found(matcher, "Horvat Ivana mi je pomogla.", "hr") == [(1, "Horvat Ivana", False)]
    assert _found(matcher, "Gospođa Horvat je bila divna.", "hr") == [(1, "Horvat", False)]


def test_a_form_shared_by_two_names_is_ambiguous_but_the_exact_name_wins():
    matcher = StaffMatcher([StaffMember(1, "Ivan"), StaffMember(2, "Ivana")])
    assert _found(matcher, "Hvala Ivanu!", "hr") == [(1, "Ivanu", True), (2, "Ivanu", True)]
    assert _found(matcher, "Razgovarala sam s Ivanom.", "hr") == [(1, "Ivanom", True), (2, "Ivanom", True)]
    assert _found(matcher, "Ivana je super.", "hr") == [(2, "Ivana", False)]  # not the genitive of Ivan
    assert _found(matcher, "Hvala Ivani!", "hr") == [(2, "Ivani", False)]


def test_aliases_and_last_names():
    matcher = StaffMatcher([StaffMember(7, "Ольга", "Петрова", aliases=("Оля",)), StaffMember(8, "Анна")])
    assert _found(matcher, "Спасибо Оле!", "ru") == [(7, "Оле", False)]
    assert _found(matcher, "Благодарю Ольгу Петрову", "ru") == [(7, "Ольгу Петрову", False)]
    assert _found(matcher, "Обратилась к Петровой, всё решили.", "ru") == [(7, "Петровой", False)]


@pytest.mark.parametrize(
    ("lang", "name", "text"),
    [
        ("hr", "Ana", "Kupila sam bananu i ananas."),
        ("en", "Liam", "William was not there."),
        ("en", "Ann", "The annual sale was great."),
        ("hr", "Ivan", "Ivanka mi je pomogla."),
        ("ru", "Анна", "Ванна была грязной."),
        ("et", "Liis", "Liisu oli tore."),
        ("it", "Luca", "Lucas è stato bravo."),
    ],
)
def test_names_inside_other_words_do_not_match(lang, name, text):
    assert StaffMatcher([StaffMember(1, name)]).find(text, lang) == []


def test_names_that_are_common_words_need_a_capital():
    luka = StaffMatcher([StaffMember(1, "Luka")])
    assert _found(luka, "Luka je bio super.", "hr") == [(1, "Luka", False)]
    assert _found(luka, "Trgovina je blizu luke, luka je puna.", "hr") == []
    assert _found(luka, "Kupila sam luk i jela s lukom.", "hr") == []
    will = StaffMatcher([StaffMember(2, "Will")])
    assert _found(will, "I will come back. Will at the till was great.", "en") == [(2, "Will", False)]
    chiara = StaffMatcher([StaffMember(3, "Chiara")])
    assert _found(chiara, "La spiegazione era chiara. Grazie a Chiara!", "it") == [(3, "Chiara", False)]
    marko = StaffMatcher([StaffMember(4, "Marko")])
    assert _found(marko, "Ova marka je loša.", "hr") == []  # inflected form, lower case in a cased text
    assert _found(marko, "hvala marku", "hr") == [(4, "marku", False)]  # all lower case: case tells nothing
    assert _found(luka, "HVALA LUKI I IVANI", "hr") == [(1, "LUKI", False)]  # all capitals: inflected forms count
    assert _found(luka, "LUKA JE BIO SUPER", "hr") == []  # ... but not a common word
    extra = StaffMatcher([StaffMember(5, "Sunny")], common_words={"en": ["sunny"]})
    assert _found(extra, "A sunny day.", "en") == []


def test_sentence_spans_around_mentions():
    matcher = StaffMatcher([StaffMember(1, "Liam"), StaffMember(2, "Aoife")])
    text = "Great store overall. Liam at the till was so helpful!  Parking was hard… Thanks Dr. Aoife\nSee you soon"
    mentions = matcher.find(text, "en")
    sentences = {m.staff_id: text[m.sentence_start : m.sentence_end] for m in mentions}
    assert sentences == {1: "Liam at the till was so helpful!", 2: "Thanks Dr. Aoife"}
    assert all(isinstance(m, StaffMention) for m in mentions)


def test_sentence_spans():
    text = "  First one. Second one?! Third… Fourth\n\nfifth  "
    assert [text[s:e] for s, e in sentence_spans(text)] == ["First one.", "Second one?!", "Third…", "Fourth", "fifth"]
    # An ellipsis before a lower-case word is a pause, not the end of the sentence.
    text = "Marko … je bio nepristojan. Ivana... super! Čekao sam... Dugo."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Marko … je bio nepristojan.",
        "Ivana... super!",
        "Čekao sam...",
        "Dugo.",
    ]
    assert sentence_spans("") == []
    assert sentence_spans("J. Smith gave it a 9. Great.") == [(0, 21), (22, 28)]  # initials do not end a sentence


def test_unknown_language_uses_all_inflections():
    matcher = StaffMatcher([StaffMember(1, "Kadri"), StaffMember(2, "Ольга")])
    assert _found(matcher, "Aitäh Kadrile! Спасибо Ольге!", None) == [(1, "Kadrile", False), (2, "Ольге", False)]


def test_name_forms():
    forms = name_forms("Ivana", "hr")
    assert forms["ivana"] is False
    assert {"ivane", "ivani", "ivanu", "ivanom", "ivanin"} <= {f for f, inflected in forms.items() if inflected}
    assert set(name_forms("Liam", "en")) == {"liam"}
    assert "ольгой" in name_forms("Ольга", "ru")
    assert "ольгой" not in name_forms("Ольга", "hr")  # Croatian rules are not applied to Cyrillic names


def test_empty_inputs():
    assert StaffMatcher([]).find("Hvala Ivani", "hr") == []
    assert StaffMatcher([StaffMember(1, "Ivana")]).find("", "hr") == []
