"""Sentiment: the lexicon cold start, weak labels, the learned model, the transformer slot, evaluation."""

import importlib.util
import random

import numpy as np
import pytest

from heed.demo.comment_bank import COMMENTS
from heed.nlp.sentiment import (
    LABELS,
    LearnedSentiment,
    LexiconSentiment,
    SentimentModel,
    SentimentResult,
    TransformerSentiment,
    evaluate,
    train_or_none,
    weak_label,
)

# Per language: clearly positive, clearly negative, a negated positive (-> negative), a negated negative (-> positive).
POLARITY = {
    "en": (
        "The staff were friendly and helpful.",
        "The cashier was rude and the floor was dirty.",
        "The staff were not friendly.",
        "The service wasn’t slow at all.",
    ),
    "it": (
        "Personale gentile e cortese.",
        "Commessa scortese e negozio sporco.",
        "Il personale non era gentile.",
        "Il servizio non è stato lento.",
    ),
    "hr": (
        "Osoblje je bilo ljubazno i stručno.",
        "Prodavačica je bila neljubazna, a trgovina prljava.",
        "Prodavačica nije bila ljubazna.",
        "Dostava nije bila spora.",
    ),
    "bg": (
        "Персоналът беше много любезен и бърз.",
        "Касиерката беше груба, а магазинът мръсен.",
        "Продавачката не беше любезна.",
        "Обслужването не беше бавно.",
    ),
    "ru": (
        "Персонал вежливый и быстрый.",
        "Кассир была грубой, в зале грязно.",
        "Продавец был не вежлив.",
        "Обслуживание было не медленное.",
    ),
    "et": (
        "Teenindaja oli sõbralik ja abivalmis.",
        "Teenindaja oli ebaviisakas ja pood räpane.",
        "Teenindaja ei olnud sõbralik.",
        "Teenindaja ei olnud ebaviisakas.",
    ),
}


def _rows(holdout: bool) -> list[dict]:
    """The comment bank split by position: every fifth comment is held out. The bank's languages are
    translations of each other, so holding out the same positions keeps the held-out content unseen
    in every language."""
    return [
        {"lang": lang, "label": label, "text": text}
        for lang, by_label in COMMENTS.items()
        for label, texts in by_label.items()
        for i, text in enumerate(texts)
        if (i % 5 == 0) == holdout
    ]


def _train(rows: list[dict], **kwargs) -> LearnedSentiment:
    return LearnedSentiment.train([r["text"] for r in rows], [r["lang"] for r in rows], [r["label"] for r in rows],
                                  **kwargs)  # fmt: skip


@pytest.fixture(scope="module")
def learned() -> LearnedSentiment:
    return _train(_rows(holdout=False))


# -- lexicon -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(POLARITY))
def test_lexicon_polarity_and_negation(lang):
    positive, negative, negated_positive, negated_negative = POLARITY[lang]
    results = LexiconSentiment().predict([positive, negative, negated_positive, negated_negative], [lang] * 4)
    assert [r.label for r in results] == ["positive", "negative", "negative", "positive"]
    assert results[0].score > 0 > results[1].score


def test_lexicon_rules():
    model = LexiconSentiment()
    assert model.version == "lexicon-3"
    assert isinstance(model, SentimentModel)
    # One negation flips once, however many negators precede; negation ends with the clause.
    assert model.counts("Nitko nije bio ljubazan.", "hr").negative == 1
    assert model.predict(["Not rude. Friendly and helpful!"], ["en"])[0].label == "positive"
    counts = model.counts("Not friendly, helpful though.", "en")
    assert (counts.positive, counts.negative, counts.negated) == (1, 1, 1)
    # Mixed evidence is neutral; no evidence is neutral with no confidence.
    mixed = model.predict(["Friendly staff but a long queue."], ["en"])[0]
    assert mixed.label == "neutral" and mixed.score == 0
    nothing = model.predict(["I bought a lamp on Tuesday."], ["en"])[0]
    assert nothing == SentimentResult("neutral", 0.0, 0.0)
    # Phrases match as word beginnings, once ("long queues" is one negative phrase, not two hits).
    assert model.counts("Long queues again", "en").negative == 1
    # Unknown languages use every language's entries.
    assert [r.label for r in model.predict(["Osoblje je ljubazno.", "Персонал грубый."], ["unknown", "de"])] == [
        "positive",
        "negative",
    ]
    assert model.predict([], []) == []
    with pytest.raises(ValueError):
        model.predict(["a"], [])
    for r in model.predict([t for texts in POLARITY.values() for t in texts], [k for k in POLARITY for _ in range(4)]):
        assert -1 <= r.score <= 1 and 0 <= r.confidence <= 1


# The tester's reproduction (the demo's "nobody could tell me when my size would be back", read as
# Positive in Italian) and its siblings: complaints told without a polar word, by a negative quantifier
# with a verb of ability or knowing, "never came back", "still waiting".
COMPLAINTS = {
    "en": (
        "Nobody could tell me when my size would be back in stock.",
        "No one knew when the order would arrive.",
        "The assistant went to check and never came back.",
        "Still waiting for my refund.",
    ),
    "it": (
        "Nessuno sapeva dirmi quando sarebbe tornata disponibile la mia taglia.",
        "Nessuno ha saputo dirmi quando arriva l’ordine.",
        "La commessa è andata a controllare e non è più tornata.",
        "Sto ancora aspettando il rimborso.",
    ),
    "hr": (
        "Nitko mi nije znao reći kada će opet stići moja veličina.",
        "Nitko nije znao kada stiže narudžba.",
        "Prodavač je otišao provjeriti i nikad se nije vratio.",
        "Još čekam povrat novca.",
    ),
    "bg": (
        "Никой не можа да ми каже кога пак ще има моя размер.",
        "Никой не знаеше кога ще пристигне поръчката.",
        "Продавачът отиде да провери и не се върна.",
        "Още чакам да ми върнат парите.",
    ),
    "ru": (
        "Никто не смог сказать, когда снова привезут мой размер.",
        "Никто не знал, когда придёт заказ.",
        "Продавец пошёл проверить и так и не вернулся.",
        "До сих пор жду возврат денег.",
    ),
    "et": (
        "Keegi ei osanud öelda, millal minu suurust jälle saada on.",
        "Keegi ei teadnud, millal tellimus kohale jõuab.",
        "Müüja läks järele vaatama ega tulnud enam tagasi.",
        "Ootan siiani raha tagasi.",
    ),
}


@pytest.mark.parametrize("lang", sorted(COMPLAINTS))
def test_complaints_without_a_polar_word_are_negative(lang):
    results = LexiconSentiment().predict(list(COMPLAINTS[lang]), [lang] * len(COMPLAINTS[lang]))
    assert [r.label for r in results] == ["negative"] * len(COMPLAINTS[lang]), COMPLAINTS[lang]


def test_quantifier_scope_and_negatable_words():
    model = LexiconSentiment()
    # A negatable word is nothing by itself: "could", "knew", "in stock" are not complaints unnegated.
    assert model.predict(["I could tell she knew the range, everything was in stock."], ["en"])[0].label == "neutral"
    # A quantifier reaches the end of its clause, past the three-word window of other negators ...
    assert model.counts("Nessuno sapeva dirmi quando sarebbe tornata disponibile", "it").positive == 0
    # ... but not past a coordinating conjunction or punctuation.
    assert model.predict(["Nothing was missing and the courier was friendly."], ["en"])[0].label == "positive"
    assert model.predict(["Ništa nije nedostajalo, a dostavljač je bio ljubazan."], ["hr"])[0].label == "positive"
    # Negative concord: a phrase with its own negation is not negated again by the quantifier before it.
    assert model.predict(["Nitko nije znao ništa o akciji."], ["hr"])[0].label == "negative"
    assert model.predict(["Никой нищо не знаеше за промоцията."], ["bg"])[0].label == "negative"
    # A negated negative stays what it was: "nobody was rude" is not a complaint.
    assert model.predict(["Nobody was rude, everyone was helpful."], ["en"])[0].label == "positive"


def test_complaint_rows_of_the_evaluation_set_are_read_per_language():
    """The rows written for this kind (``"kind": "complaint"`` in ``nlp/data/eval/sentiment_eval.jsonl``): 11 per
    language, 8 complaints without a polar word and 3 guards (negative quantifiers in praise or in a neutral
    remark). ``lexicon-2`` read 27-36% of them per language; every language must read at least 8 of 11."""
    from heed.nlp.evaluate_sentiment import EVAL_PATH
    from heed.nlp.sentiment import load_rows

    rows = [row for row in load_rows(EVAL_PATH) if row.get("kind") == "complaint"]
    report = evaluate(LexiconSentiment(), rows)
    assert {lang: report[lang]["n"] for lang in COMPLAINTS} == dict.fromkeys(COMPLAINTS, 11)
    for lang in COMPLAINTS:
        assert report[lang]["accuracy"] >= 8 / 11, (lang, report[lang])
        confusion = report[lang]["confusion"]["negative"]
        assert confusion["positive"] == 0 and confusion["negative"] >= 7, (lang, confusion)


def test_a_custom_lexicon_has_its_own_version():
    custom = LexiconSentiment({"en": ("splendid",)}, {"en": ("awful",)}, {"en": ("not",)})
    assert custom.version.startswith("lexicon-3+") and custom.version != LexiconSentiment().version
    assert custom.predict(["not awful, splendid"], ["en"])[0].label == "positive"


# -- weak labels ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nps", "csat", "ces", "label"),
    [
        (0, None, None, "negative"),
        (6, None, None, "negative"),
        (7, None, None, "neutral"),
        (8, None, None, "neutral"),
        (9, None, None, "positive"),
        (10, None, None, "positive"),
        (None, 1, None, "negative"),
        (None, 2, None, "negative"),
        (None, 3, None, "neutral"),
        (None, 4, None, "positive"),
        (None, 5, None, "positive"),
        (None, None, 1, "negative"),
        (None, None, 3, "negative"),
        (None, None, 4, "neutral"),
        (None, None, 5, "positive"),
        (None, None, 7, "positive"),
        (None, None, None, None),
        (8, 5, None, "neutral"),  # NPS decides
        (None, 3, 7, "neutral"),  # then CSAT
        (2, 5, None, None),  # contradicting scores: left out
        (11, None, None, None),  # off the scale: ignored
        (-1, 4, None, "positive"),
        (None, 0, None, None),
    ],
)
def test_weak_label(nps, csat, ces, label):
    assert weak_label(nps, csat, ces) == label


# -- learned model ---------------------------------------------------------------------------------


def test_training_is_deterministic(learned):
    rows = _rows(holdout=False)
    random.Random(7).shuffle(rows)
    again = _train(rows)  # same examples, another order
    assert again.version == learned.version and learned.version.startswith("learned-")
    held_out = _rows(holdout=True)
    texts, langs = [r["text"] for r in held_out], [r["lang"] for r in held_out]
    assert np.array_equal(again.probabilities(texts, langs), learned.probabilities(texts, langs))
    assert again.predict(texts, langs) == learned.predict(texts, langs)


def test_the_version_follows_data_and_settings():
    rows = [r for r in _rows(holdout=False) if r["lang"] == "en"][::3]
    base = _train(rows)
    assert _train(rows[1:]).version != base.version
    assert _train(rows, seed=1).version != base.version
    assert _train(rows, params={"C": 1.0}).version != base.version


def test_round_trip_predicts_identically(learned):
    blob = learned.to_bytes()
    loaded = LearnedSentiment.from_bytes(blob)
    assert loaded.version == learned.version and loaded.languages == learned.languages
    texts = [t for texts in POLARITY.values() for t in texts] + ["", "Grazie!", "Hmm"]
    langs = [k for k in POLARITY for _ in range(4)] + ["it", "unknown", "pt"]
    assert np.array_equal(loaded.probabilities(texts, langs), learned.probabilities(texts, langs))
    assert loaded.predict(texts, langs) == learned.predict(texts, langs)
    assert loaded.to_bytes() == blob
    assert len(blob) < 1_000_000
    with pytest.raises(ValueError, match="not a stored sentiment model"):
        LearnedSentiment.from_bytes(b"not a model")


def test_a_changed_lexicon_changes_the_version(learned, monkeypatch):
    from heed.nlp import lexicon

    blob = learned.to_bytes()
    monkeypatch.setattr(lexicon, "POSITIVE", {**lexicon.POSITIVE, "en": (*lexicon.POSITIVE["en"], "glorious")})
    reloaded = LearnedSentiment.from_bytes(blob)
    assert reloaded.version.startswith(learned.version + "+lex") and reloaded.trained_version == learned.version
    assert reloaded.to_bytes() == blob


def test_predictions_are_well_formed(learned):
    results = learned.predict(["Friendly staff!", "Персонал грубый", "Hmm"], ["en", "ru", "unknown"])
    for r in results:
        assert r.label in LABELS and -1 <= r.score <= 1 and 1 / 3 <= r.confidence <= 1
    assert isinstance(learned, SentimentModel)
    assert learned.predict([], []) == []


def test_held_out_accuracy_is_well_above_chance(learned):
    report = evaluate(learned, _rows(holdout=True))
    lexicon = evaluate(LexiconSentiment(), _rows(holdout=True))
    print()
    for lang in [*COMMENTS, "all"]:
        print(
            f"held-out bank {lang}: n={report[lang]['n']} learned accuracy {report[lang]['accuracy']:.3f} "
            f"macro-F1 {report[lang]['macro_f1']:.3f}; lexicon accuracy {lexicon[lang]['accuracy']:.3f}"
        )
    # About 60% on three classes (chance: 33%) from ~65 training comments per language and class, none
    # of the held-out content seen in any language; the bank is too small for much more.
    assert report["all"]["accuracy"] >= 0.55
    assert report["all"]["macro_f1"] >= 0.5


def test_train_or_none_needs_enough_of_every_class():
    rows = [r for r in _rows(holdout=False) if r["lang"] == "en"]  # 21-22 comments per class
    texts, langs, labels = [r["text"] for r in rows], [r["lang"] for r in rows], [r["label"] for r in rows]
    assert train_or_none(texts, langs, labels) is None  # default: at least 50 per class
    assert isinstance(train_or_none(texts, langs, labels, min_per_class=20), LearnedSentiment)
    no_neutral = [None if label == "neutral" else label for label in labels]
    assert train_or_none(texts, langs, no_neutral, min_per_class=1) is None
    with pytest.raises(ValueError, match="every label"):
        LearnedSentiment.train(["good", "bad"], ["en", "en"], ["positive", "negative"])
    with pytest.raises(ValueError, match="labels must be"):
        LearnedSentiment.train(["good", "bad", "meh"], ["en"] * 3, ["positive", "negative", "meh"])


# -- transformer slot ----------------------------------------------------------------------------------


def test_transformer_needs_a_local_model(tmp_path):
    with pytest.raises(RuntimeError, match="No transformer model"):
        TransformerSentiment(tmp_path / "missing")
    with pytest.raises(RuntimeError, match="No transformer model"):
        TransformerSentiment(tmp_path)  # a directory without config.json
    if importlib.util.find_spec("transformers") is None:
        (tmp_path / "config.json").write_text("{}")
        with pytest.raises(RuntimeError, match="transformers"):
            TransformerSentiment(tmp_path)


# -- evaluation ---------------------------------------------------------------------------------------------


def test_evaluate_reports_per_language_and_overall():
    rows = [
        {"lang": "en", "label": "positive", "text": "Friendly and helpful staff."},
        {"lang": "en", "label": "negative", "text": "Rude cashier."},
        {"lang": "en", "label": "neutral", "text": "Friendly staff, but rude security."},
        {"lang": "it", "label": "negative", "text": "Personale gentile."},
    ]
    report = evaluate(LexiconSentiment(), rows)
    assert set(report) == {"en", "it", "all"}
    assert set(report["all"]) == {"n", "accuracy", "macro_f1", "confusion"}
    assert (report["en"]["n"], report["it"]["n"], report["all"]["n"]) == (3, 1, 4)
    assert report["en"]["accuracy"] == 1.0 and report["it"]["accuracy"] == 0.0
    assert report["all"]["accuracy"] == 0.75
    assert report["it"]["confusion"]["negative"] == {"negative": 0, "neutral": 0, "positive": 1}
    assert report["it"]["macro_f1"] == 0.0
    assert report["en"]["macro_f1"] == 1.0
    assert sum(sum(row.values()) for row in report["all"]["confusion"].values()) == 4
    with pytest.raises(ValueError):
        evaluate(LexiconSentiment(), [{"lang": "en", "label": "great", "text": "x"}])
