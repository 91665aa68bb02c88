"""Language detection: the organisation's languages, "unknown" when it can't be told, batch = single."""

import pytest

from heed.nlp.language import UNKNOWN, LanguageDetector, language_for_code, supported_languages

LANGUAGES = ["it", "hr", "bg", "ru", "et", "en"]

SENTENCES = {
    "it": [
        "La commessa è stata gentilissima e mi ha aiutato a trovare la taglia giusta.",
        "Il pacco è arrivato in ritardo di una settimana e nessuno ha risposto alle mie email.",
        "Ottimo caffè, ma il bancone era un po' sporco.",
        "Ho aspettato mezz'ora al telefono prima di parlare con qualcuno.",
        "Prezzi onesti e personale sempre disponibile, tornerò sicuramente.",
        "Non funziona l'app per pagare.",
    ],
    "hr": [
        "Prodavačica je bila jako ljubazna i pomogla mi je pronaći pravu veličinu.",
        "Paket je stigao tjedan dana kasnije i nitko nije odgovarao na moje poruke.",
        "Kava je odlična, ali šank je bio prljav.",
        "Čekao sam pola sata na telefonu dok se netko nije javio.",
        "Poštene cijene i uvijek susretljivo osoblje, sigurno ću se vratiti.",
        "Aplikacija za plaćanje ne radi već tri dana.",
    ],
    "bg": [
        "Продавачката беше много любезна и ми помогна да намеря правилния размер.",
        "Пратката пристигна със седмица закъснение и никой не отговаряше на имейлите ми.",
        "Кафето е чудесно, но барът беше мръсен.",
        "Чаках половин час на телефона, докато някой ми вдигне.",
        "Честни цени и винаги отзивчив персонал, пак ще дойда.",
        "Приложението за плащане не работи от три дни.",
    ],
    "ru": [
        "Продавец была очень вежливой и помогла мне подобрать нужный размер.",
        "Посылка пришла с опозданием на неделю, и никто не отвечал на мои письма.",
        "Кофе отличный, но стойка была грязной.",
        "Я полчаса ждал на линии, пока кто-нибудь ответит.",
        "Честные цены и всегда отзывчивый персонал, обязательно вернусь.",
        "Приложение для оплаты не работает уже три дня.",
    ],
    "et": [
        "Müüja oli väga sõbralik ja aitas mul leida õige suuruse.",
        "Pakk jõudis kohale nädal hiljem ja keegi ei vastanud minu kirjadele.",
        "Kohv on suurepärane, aga lett oli räpane.",
        "Ootasin pool tundi telefonil, enne kui keegi vastas.",
        "Ausad hinnad ja alati abivalmis personal, tulen kindlasti tagasi.",
        "Makserakendus ei ole kolm päeva töötanud.",
    ],
    "en": [
        "The shop assistant was really friendly and helped me find the right size.",
        "The parcel arrived a week late and nobody answered my emails.",
        "Great coffee, but the counter was a bit dirty.",
        "I waited half an hour on the phone before anyone picked up.",
        "Fair prices and always helpful staff, I will definitely come back.",
        "The payment app has not worked for three days.",
    ],
}

NOT_ENOUGH = ["", "   ", "ok", "OK!", "Ok 👍", "12345", "10/10", "9 / 10 !!!", "+39 333 123 4567", "€ 25,00", "???"]

MIXED = [
    "Hello my friend, how are you doing? Ciao amico mio, come stai oggi?",
    "The staff were great. Osoblje je bilo super ljubazno i brzo.",
    "Il personale è stato gentilissimo, but the prices are way too high for me.",
    "Магазин хороший, but the queues are too long every single weekend.",
    "Teenindus oli väga hea, tulen kindlasti tagasi! Grazie mille per tutto il vostro aiuto.",
]


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_short_sentences_in_each_language(detector, lang):
    assert [detector.detect(text) for text in SENTENCES[lang]] == [lang] * len(SENTENCES[lang])


@pytest.mark.parametrize("text", NOT_ENOUGH)
def test_empty_short_and_number_only_texts_are_unknown(detector, text):
    assert detector.detect(text) == UNKNOWN


@pytest.mark.parametrize("text", MIXED)
def test_mixed_language_texts_are_unknown(detector, text):
    assert detector.detect(text) == UNKNOWN


def test_a_foreign_brand_name_is_no_mix(detector):
    assert detector.detect("Приложение Wildberries опять не работает, заказ потерялся.") == "ru"
    assert detector.detect("Ordinato su Amazon Prime, arrivato in ritardo di tre giorni.") == "it"


def test_ambiguous_texts_are_unknown(detector):
    # Bulgarian and Russian spell this the same; "Nice store" is as Italian-looking as English to lingua.
    assert detector.detect("Цена и качество <3") == UNKNOWN
    assert detector.detect("WC opet ne radi.") == UNKNOWN


def test_batch_gives_the_single_results(detector):
    texts = [t for lang in LANGUAGES for t in SENTENCES[lang]] + NOT_ENOUGH + MIXED + [None]
    assert detector.detect_many(texts) == [detector.detect(t) for t in texts]
    assert detector.detect_many([]) == []


def test_only_configured_languages_come_back():
    portuguese = [
        "O atendimento foi excelente e os preços são justos.",
        "A entrega chegou atrasada e ninguém respondeu aos meus e-mails.",
        "Tudo correu muito bem, obrigado pela ajuda.",
    ]
    narrow = LanguageDetector(["it", "en"])
    assert set(narrow.detect_many(portuguese)) <= {"it", "en", UNKNOWN}
    # Naming languages that may turn up but aren't wanted makes them unknown instead.
    guarded = LanguageDetector(["it", "en"], others=["pt", "es"])
    assert guarded.detect_many(portuguese) == [UNKNOWN] * 3
    assert guarded.detect_many(SENTENCES["it"][:2] + SENTENCES["en"][:2]) == ["it", "it", "en", "en"]


def test_a_single_language_is_not_given_to_everything():
    croatian = LanguageDetector(["hr"])
    assert croatian.detect(SENTENCES["hr"][0]) == "hr"
    assert croatian.detect(SENTENCES["en"][0]) == UNKNOWN


def test_codes_are_checked_and_detectors_shared(detector):
    with pytest.raises(ValueError, match="not an ISO 639-1 code"):
        LanguageDetector(["it", "xx"])
    with pytest.raises(ValueError, match="at least one"):
        LanguageDetector([])
    assert language_for_code("EN") == language_for_code("en-GB") == language_for_code("en")
    assert {"it", "hr", "bg", "ru", "et", "en", "pt"} <= set(supported_languages())
    other = LanguageDetector(["EN", "et", "ru", "bg", "hr", "it"], min_confidence=0.7)
    assert other.languages == detector.languages
    assert other._detector is detector._detector  # built once per language set


def test_thresholds_are_adjustable(detector):
    lenient = LanguageDetector(LANGUAGES, min_chars=3)
    assert lenient.detect("Grazie") == "it"
    assert detector.detect("Grazie") == UNKNOWN
    strict = LanguageDetector(LANGUAGES, min_relative_distance=0.99)
    assert strict.detect(SENTENCES["en"][2]) == UNKNOWN
