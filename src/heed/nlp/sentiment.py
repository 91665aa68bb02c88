"""Sentiment of customer comments, offline, in every language an organisation works in.

Three interchangeable models share one small interface (:class:`SentimentModel`): a ``version``
string that is stored with every annotation, and ``predict(texts, languages)``.

* :class:`LexiconSentiment` is the cold start: polar words and phrases from
  :mod:`heed.nlp.lexicon`, with simple negation. No training, every language the lexicon
  has, nothing to store.
* :class:`LearnedSentiment` is trained on the organisation's own comments, labelled by the scores
  given with them (:func:`weak_label`): character n-grams, the language and the lexicon's counts
  feed one multinomial logistic regression for all languages. :func:`train_or_none` trains one
  once there are enough labelled comments of every class.
* :class:`TransformerSentiment` runs a transformer classifier that the user has put on disk
  themselves (never downloaded), for organisations that want one and have the hardware.

Every result has a ``label`` (negative / neutral / positive), a ``score`` in [-1, 1] (negative to
positive) and a ``confidence`` in [0, 1] (how much the model backs its label).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from heed.nlp import lexicon as _lexicon

Label = Literal["negative", "neutral", "positive"]
LABELS: tuple[Label, ...] = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class SentimentResult:
    """``score`` runs from -1 (negative) to 1 (positive); ``confidence`` from 0 (a guess) to 1."""

    label: Label
    score: float
    confidence: float


@runtime_checkable
class SentimentModel(Protocol):
    version: str

    def predict(self, texts: list[str], languages: list[str]) -> list[SentimentResult]: ...


def _normalise(text: str) -> str:
    """Lowercase, with typographic apostrophes made straight ("hasn’t" -> "hasn't")."""
    return str(text or "").replace("\u2019", "'").replace("\u02bc", "'").replace("`", "'").lower()


# A word: letters/digits, with inner apostrophes kept ("didn't", "dell'ordine", "l'attesa").
_WORD = re.compile(r"\w+(?:'\w+)*")
# Negation does not reach past the end of a clause.
_CLAUSE_END = re.compile(r"[.!?;,:()\n]")


# --------------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------------


# The polarity of a negatable entry: nothing by itself, negative when negated.
_NEGATABLE = 2


def _is_phrase(entry: str) -> bool:
    return re.search(r"[^\w]", entry) is not None and entry != "n't"


class _CompiledLexicon:
    """One language's lexicon, compiled for fast matching (see :class:`LexiconSentiment`)."""

    def __init__(
        self,
        positive: Iterable[str],
        negative: Iterable[str],
        negators: Iterable[str],
        quantifiers: Iterable[str] = (),
        negatable: Iterable[str] = (),
        quantifier_stops: Iterable[str] = (),
    ) -> None:
        stems: dict[str, int] = {}
        phrases: dict[str, int] = {}
        for polarity, entries in ((1, positive), (-1, negative)):
            for entry in entries:
                entry = _normalise(entry).strip()
                if not entry:
                    continue
                target = phrases if _is_phrase(entry) else stems
                # An entry listed as both positive and negative cancels out: it is not polar.
                target[entry] = 0 if target.get(entry, polarity) != polarity else polarity
        self.stems = {k: v for k, v in stems.items() if v}
        self.stem_lengths = sorted({len(k) for k in self.stems}, reverse=True)
        self.phrases = {k: v for k, v in phrases.items() if v}
        self.phrase_re = self._alternation(self.phrases)
        negator_words: set[str] = set()
        negator_phrases: list[str] = []
        self.negator_suffixes: tuple[str, ...] = ()
        for entry in negators:
            entry = _normalise(entry).strip()
            if entry.startswith("n'"):  # "n't": the end of a word ("didn't", "isn't")
                self.negator_suffixes += (entry,)
            elif _is_phrase(entry):
                negator_phrases.append(entry)
            elif entry:
                negator_words.add(entry)
        self.negator_words = frozenset(negator_words)
        self.negator_re = self._alternation(negator_phrases, whole_words=True)
        # Negative quantifiers ("nobody", "nessuno", "nitko"): negators whose scope is the rest of the clause.
        self.quantifiers = frozenset(q for q in (_normalise(e).strip() for e in quantifiers) if q)
        # ... up to the next coordinating conjunction ("nothing was missing and the courier was friendly").
        self.quantifier_stops = frozenset(w for w in (_normalise(e).strip() for e in quantifier_stops) if w)
        # Neutral words that are a complaint when negated ("could", "knew", "in stock", "came back").
        negatable_stems: dict[str, int] = {}
        negatable_phrases: dict[str, int] = {}
        for entry in negatable:
            entry = _normalise(entry).strip()
            if entry:
                (negatable_phrases if _is_phrase(entry) else negatable_stems)[entry] = _NEGATABLE
        for entry, polarity in negatable_stems.items():
            self.stems.setdefault(entry, polarity)
        for entry, polarity in negatable_phrases.items():
            self.phrases.setdefault(entry, polarity)
        self.stem_lengths = sorted({len(k) for k in self.stems}, reverse=True)
        self.phrase_re = self._alternation(self.phrases)

    def is_negator(self, word: str) -> bool:
        """Whether one (normalised) word is a negator or a negative quantifier."""
        return (
            word in self.negator_words
            or word in self.quantifiers
            or bool(self.negator_suffixes and word.endswith(self.negator_suffixes))
        )

    @staticmethod
    def _alternation(entries: Iterable[str], *, whole_words: bool = False) -> re.Pattern[str] | None:
        entries = sorted(set(entries), key=lambda e: (-len(e), e))  # longest first
        if not entries:
            return None
        end = r"(?!\w)" if whole_words else ""
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(e) for e in entries) + ")" + end)


@dataclass(frozen=True)
class LexiconCounts:
    """Polar matches in one text, after negation."""

    positive: int
    negative: int
    negated: int

    @property
    def score(self) -> float:
        return (self.positive - self.negative) / (self.positive + self.negative + 1)


class LexiconSentiment:
    """Cold-start sentiment from the hand-made lexicon.

    Matching (the rules :mod:`heed.nlp.lexicon` documents):

    1. The text is lowercased (typographic apostrophes made straight) and split into words
       (unicode letters and digits, inner apostrophes kept: "didn't", "l'attesa").
    2. Phrases (entries with a space or punctuation: "value for money", "dugo čeka") match where
       they start at a word boundary; like single words they may end inside a word ("long queue"
       matches "long queues"). Longest phrases first; a word inside a matched phrase is not
       matched again ("no problem" is one positive phrase, its "no" is no negator).
    3. Every other word matches the longest single-word entry it starts with ("ljubazn" matches
       "ljubazna"; "neljubazna" matches "neljubazn", not "ljubazn").
    4. A negator (a whole word, "n't" at the end of a word, or a negator phrase) flips the polarity
       of the polar matches that start within ``window`` (3) words after it in the same clause (a
       clause ends at . ! ? ; , : or a bracket). A match is flipped once, however many negators
       precede it ("nitko nije bio ljubazan" stays negative). A negative quantifier ("nobody",
       "nessuno", "nitko", "никто") is a negator whose scope is the rest of its clause, up to a
       coordinating conjunction ("and", "e", "i", "и", "ja": ``quantifier_stops``).
    4a. A *negatable* entry ("could", "knew", "in stock", "came back", it "sapeva", hr "znao") is
       neutral by itself and one negative match when a negator or quantifier reaches it: "Nobody
       could tell me when my size would be back", "nitko nije znao", "never came back". A phrase
       that carries its own negation ("nije znao ništa") is not negated again (negative concord).
       The complaint tables are in ``data/<lang>/sentiment.json``; a custom lexicon has none
       unless given (``quantifiers``, ``negatable``, ``quantifier_stops``).
    5. score = (positive - negative) / (positive + negative + 1), in (-1, 1): one positive word
       gives 0.5, three give 0.75, one of each 0. The label is positive when score >= threshold
       (0.3), negative when score <= -threshold, else neutral: "friendly but slow" is neutral, a
       text without any polar word is neutral.
    6. confidence: for a polar label |score| (more agreeing words, more confidence); for neutral,
       0 without any match (the lexicon knows nothing) and otherwise
       (matches / (matches + 1)) * (1 - |score| / threshold).

    Languages without a lexicon (and ``"unknown"``) are matched against all languages' entries
    together: cruder, but better than calling every such comment neutral.

    ``version`` is "lexicon-3" for the lexicon shipped with Heed; bump ``LEXICON_VERSION`` when the
    lexicon or these rules change, so that stored annotations are recomputed. A custom lexicon
    gets a version with its fingerprint.
    """

    # 2: staff vocabulary added; 3: negative quantifiers scope their clause,
    # negated capability / availability is a complaint, waiting and absence phrases (data/<lang>/sentiment.json)
    LEXICON_VERSION = "lexicon-3"

    def __init__(
        self,
        positive: Mapping[str, Sequence[str]] | None = None,
        negative: Mapping[str, Sequence[str]] | None = None,
        negators: Mapping[str, Sequence[str]] | None = None,
        *,
        quantifiers: Mapping[str, Sequence[str]] | None = None,
        negatable: Mapping[str, Sequence[str]] | None = None,
        quantifier_stops: Mapping[str, Sequence[str]] | None = None,
        threshold: float = 0.25,
        window: int = 3,
    ) -> None:
        custom = any(t is not None for t in (positive, negative, negators, quantifiers, negatable, quantifier_stops))
        self.positive = dict(_lexicon.POSITIVE if positive is None else positive)
        self.negative = dict(_lexicon.NEGATIVE if negative is None else negative)
        self.negators = dict(_lexicon.NEGATORS if negators is None else negators)
        # A custom lexicon without its own quantifiers or negatable entries has none (it says what it means).
        custom_default: dict[str, Sequence[str]] = {}
        self.quantifiers = dict(
            (custom_default if custom else _lexicon.QUANTIFIERS) if quantifiers is None else quantifiers
        )
        self.negatable = dict((custom_default if custom else _lexicon.NEGATABLE) if negatable is None else negatable)
        self.quantifier_stops = dict(
            (custom_default if custom else _lexicon.QUANTIFIER_STOPS) if quantifier_stops is None else quantifier_stops
        )
        if not 0 < threshold < 1:
            raise ValueError("threshold must be between 0 and 1")
        self.threshold = threshold
        self.window = window
        self.fingerprint = lexicon_fingerprint(
            self.positive,
            self.negative,
            self.negators,
            quantifiers=self.quantifiers,
            negatable=self.negatable,
            quantifier_stops=self.quantifier_stops,
        )
        default = (threshold, window) == (0.25, 3)
        self.version = (
            self.LEXICON_VERSION
            if not custom and default
            else f"{self.LEXICON_VERSION}+{self.fingerprint[:8]}-t{threshold:g}-w{window}"
        )
        tables = (
            self.positive,
            self.negative,
            self.negators,
            self.quantifiers,
            self.negatable,
            self.quantifier_stops,
        )
        languages = set().union(*tables)
        self._compiled = {lang: _CompiledLexicon(*(table.get(lang, ()) for table in tables)) for lang in languages}
        self._fallback = _CompiledLexicon(*([e for entries in table.values() for e in entries] for table in tables))

    def __repr__(self) -> str:
        return f"LexiconSentiment(version={self.version!r})"

    def counts(self, text: str, language: str) -> LexiconCounts:
        """Positive and negative matches in ``text`` after negation (and how many were negated)."""
        lex = self._compiled.get(language, self._fallback)
        text = _normalise(text)
        words = list(_WORD.finditer(text))
        if not words:
            return LexiconCounts(0, 0, 0)
        starts = [m.start() for m in words]
        clause_of = self._clauses(text, starts)
        taken = [False] * len(words)
        # (word index, polarity) of each polar match; (word index) after which each negator acts.
        polar: list[tuple[int, int]] = []
        negators: list[int] = []
        quantifiers: list[int] = []
        stops: list[int] = []  # coordinating conjunctions: a quantifier's scope ends at one
        fixed: set[int] = set()  # indexes into ``polar`` of phrases with their own negation

        def word_span(start: int, end: int) -> range:
            first = _bisect_right(starts, start) - 1
            first = max(first, 0)
            if words[first].end() <= start:
                first += 1
            last = _bisect_right(starts, end - 1) - 1
            return range(first, last + 1)

        if lex.phrase_re is not None:
            for m in lex.phrase_re.finditer(text):
                span = word_span(m.start(), m.end())
                if not span or any(taken[i] for i in span):
                    continue
                for i in span:
                    taken[i] = True
                # A phrase that carries its own negation ("nije znao ništa") is not negated again
                # by a quantifier or negator before it: negative concord, "nitko nije znao ništa".
                own_negation = any(lex.is_negator(words[i].group(0)) for i in span)
                polar.append((span[0], lex.phrases[m.group(0)]))
                if own_negation:
                    fixed.add(len(polar) - 1)
        if lex.negator_re is not None:
            for m in lex.negator_re.finditer(text):
                span = word_span(m.start(), m.end())
                if span and not any(taken[i] for i in span):
                    for i in span:
                        taken[i] = True
                    negators.append(span[-1])
        for i, m in enumerate(words):
            if taken[i]:
                continue
            word = m.group(0)
            if word in lex.quantifiers:
                quantifiers.append(i)
                continue
            if word in lex.quantifier_stops:
                stops.append(i)
                continue
            if word in lex.negator_words or (lex.negator_suffixes and word.endswith(lex.negator_suffixes)):
                negators.append(i)
                continue
            for length in lex.stem_lengths:
                if length <= len(word):
                    polarity = lex.stems.get(word[:length])
                    if polarity:
                        polar.append((i, polarity))
                        break
        positive = negative = negated = 0
        for k, (i, polarity) in enumerate(polar):
            in_scope = k not in fixed and (
                any(0 < i - n <= self.window and clause_of[n] == clause_of[i] for n in negators)
                or any(
                    q < i and clause_of[q] == clause_of[i] and not any(q < c < i for c in stops) for q in quantifiers
                )
            )
            if polarity == _NEGATABLE:
                if not in_scope:
                    continue
                polarity = -1
                negated += 1
            elif polarity and in_scope:
                polarity = -polarity
                negated += 1
            if polarity > 0:
                positive += 1
            elif polarity < 0:
                negative += 1
        return LexiconCounts(positive, negative, negated)

    @staticmethod
    def _clauses(text: str, starts: list[int]) -> list[int]:
        ends = [m.start() for m in _CLAUSE_END.finditer(text)]
        return [_bisect_right(ends, start) for start in starts]

    def result(self, counts: LexiconCounts) -> SentimentResult:
        score = counts.score
        matches = counts.positive + counts.negative
        if score >= self.threshold:
            return SentimentResult("positive", score, abs(score))
        if score <= -self.threshold:
            return SentimentResult("negative", score, abs(score))
        confidence = 0.0 if matches == 0 else matches / (matches + 1) * (1 - abs(score) / self.threshold)
        return SentimentResult("neutral", score, confidence)

    def predict(self, texts: list[str], languages: list[str]) -> list[SentimentResult]:
        _check_lengths(texts, languages)
        return [self.result(self.counts(text, lang)) for text, lang in zip(texts, languages, strict=True)]


def _bisect_right(values: list[int], x: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < values[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def lexicon_fingerprint(
    positive: Mapping[str, Sequence[str]],
    negative: Mapping[str, Sequence[str]],
    negators: Mapping[str, Sequence[str]],
    *,
    quantifiers: Mapping[str, Sequence[str]] | None = None,
    negatable: Mapping[str, Sequence[str]] | None = None,
    quantifier_stops: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A hash of a lexicon's contents (order-independent), to version what was built with it."""
    tables = [("positive", positive), ("negative", negative), ("negators", negators)]
    extra = (("quantifiers", quantifiers), ("negatable", negatable), ("quantifier_stops", quantifier_stops))
    tables += [(name, table) for name, table in extra if table]
    data = {name: {lang: sorted(entries) for lang, entries in sorted(table.items())} for name, table in tables}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _check_lengths(texts: Sequence[str], languages: Sequence[str]) -> None:
    if len(texts) != len(languages):
        raise ValueError(f"{len(texts)} texts but {len(languages)} languages")


# --------------------------------------------------------------------------------------------------
# Weak labels
# --------------------------------------------------------------------------------------------------


def _band(value: int | None, low: int, high: int, negative_max: int, positive_min: int) -> Label | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    if not low <= value <= high:
        return None
    if value <= negative_max:
        return "negative"
    if value >= positive_min:
        return "positive"
    return "neutral"


def weak_label(nps: int | None, csat: int | None, ces: int | None) -> Label | None:
    """A sentiment label for a comment from the scores given with it, or None.

    * NPS (0-10): 0-6 negative (detractors), 7-8 neutral (passives), 9-10 positive (promoters).
    * CSAT (1-5): 1-2 negative, 3 neutral, 4-5 positive.
    * CES (1-7, "made it easy for me", higher is easier): 1-3 negative, 4 neutral, 5-7 positive.

    With several scores, NPS decides, then CSAT, then CES; but when one score says negative and
    another positive the comment is left out (None), as it is without any score. Values outside
    a scale are ignored.

    These are *weak* labels: the score rates the experience, not the sentence. A promoter may write
    "the queue was long" and a detractor "the staff were nice, but...", so some labels are wrong
    and a model trained on them learns how an organisation's customers write about good and bad
    experiences, not a linguist's sentiment. Evaluate on hand-labelled comments before trusting
    the accuracy.
    """
    found = [
        label
        for label in (
            _band(nps, 0, 10, 6, 9),
            _band(csat, 1, 5, 2, 4),
            _band(ces, 1, 7, 3, 5),
        )
        if label is not None
    ]
    if not found or ("negative" in found and "positive" in found):
        return None
    return found[0]


# --------------------------------------------------------------------------------------------------
# Learned model
# --------------------------------------------------------------------------------------------------

MIN_PER_CLASS = 50
_FORMAT = "heed-learned-sentiment"
_FORMAT_VERSION = 1

DEFAULT_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_min": 2,
    "ngram_max": 5,
    "n_features": 2**18,
    "sublinear_tf": True,
    "lexicon_features": True,
    "C": 10.0,
    "max_iter": 2000,
}


class LearnedSentiment:
    """A multinomial logistic regression over character n-grams, the language and lexicon counts.

    Features of a comment (lowercased, apostrophes straightened):

    * character n-grams of 2-5 characters within word boundaries (``char_wb``), hashed into
      2^18 columns (``HashingVectorizer``: no vocabulary to store, any script), with sublinear
      term frequency and smoothed IDF from the training comments, each row L2-normalised. Character
      n-grams cope with inflection (Croatian, Bulgarian, Russian, Estonian) and typos without a
      stemmer per language;
    * the language: one indicator column per language seen in training (so one model serves all
      of an organisation's languages and can learn, say, that Estonians score more soberly);
      "unknown" and unseen languages have none;
    * the lexicon's view (:meth:`LexiconSentiment.counts`): log(1 + positive), log(1 + negative)
      and the lexicon score, so that the model starts from what the lexicon knows and the
      n-grams learn what is particular to the organisation.

    The classifier is scikit-learn's ``LogisticRegression`` (lbfgs, L2, ``class_weight="balanced"``
    since satisfied customers usually outnumber the rest). Training examples are sorted before
    fitting, so the same examples in any order give the same model and the same ``version``:
    "learned-" and 12 hex digits of a hash of the examples, the hyperparameters, the seed, the
    lexicon and the scikit-learn and NumPy versions. Should the lexicon change after training,
    the lexicon features change, and ``version`` gets "+lex" and the new lexicon's fingerprint.

    ``to_bytes`` stores the weights and the IDF of the n-gram columns seen in training as a NumPy
    ``.npz`` with a JSON header; ``from_bytes`` reads it with ``allow_pickle=False``, so loading a
    blob runs no code, whoever wrote it (no pickle, no trust boundary). Prediction needs only
    NumPy, SciPy and scikit-learn's hashing vectorizer, not the fitted estimator.
    """

    def __init__(
        self,
        *,
        version: str,
        params: Mapping[str, Any],
        classes: Sequence[str],
        languages: Sequence[str],
        columns: np.ndarray,
        idf: np.ndarray,
        idf_unseen: float,
        coef: np.ndarray,
        intercept: np.ndarray,
        examples: int,
        lexicon_fingerprint: str | None,
    ) -> None:
        self.trained_version = version
        self.params = dict(params)
        self.classes = tuple(classes)
        if set(self.classes) != set(LABELS):
            raise ValueError(f"classes must be {LABELS}, got {self.classes}")
        self.languages = tuple(languages)
        self.columns = np.asarray(columns, dtype=np.int32)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.idf_unseen = float(idf_unseen)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.examples = int(examples)
        self.lexicon_fingerprint = lexicon_fingerprint
        n_features = int(self.params["n_features"])
        n_extra = self._n_lexicon_features + len(self.languages)
        if self.coef.shape != (len(self.classes), len(self.columns) + n_extra):
            raise ValueError("coefficient matrix does not match the feature layout")
        if self.idf.shape != (len(self.columns),) or self.intercept.shape != (len(self.classes),):
            raise ValueError("IDF or intercept does not match the feature layout")
        # Dense forms for prediction (a few MB): IDF per hashed column, weights per feature.
        self._idf_full = np.full(n_features, self.idf_unseen, dtype=np.float64)
        self._idf_full[self.columns] = self.idf
        weights = np.zeros((n_features + n_extra, len(self.classes)), dtype=np.float64)
        weights[self.columns] = self.coef[:, : len(self.columns)].T
        weights[n_features:] = self.coef[:, len(self.columns) :].T
        self._weights = weights
        self._order = [self.classes.index(label) for label in LABELS]
        self._vectorizer = _hashing_vectorizer(self.params)
        self._lexicon = LexiconSentiment() if self.params.get("lexicon_features") else None
        # Lexicon features come from today's lexicon: if it changed since training, predictions
        # change too, and so must the version (stored annotations are then recomputed).
        current = self._lexicon.fingerprint if self._lexicon is not None else None
        self.version = version if current == lexicon_fingerprint else f"{version}+lex{str(current)[:6]}"
        self._language_index = {lang: i for i, lang in enumerate(self.languages)}

    def __repr__(self) -> str:
        return f"LearnedSentiment(version={self.version!r}, examples={self.examples}, languages={self.languages})"

    @property
    def _n_lexicon_features(self) -> int:
        return 3 if self.params.get("lexicon_features") else 0

    # -- features --------------------------------------------------------------------------------

    @staticmethod
    def _ngram_counts(vectorizer: Any, texts: Sequence[str]) -> Any:
        return vectorizer.transform([_normalise(t) for t in texts])

    @staticmethod
    def _tfidf(counts: Any, idf: np.ndarray, sublinear: bool) -> Any:
        from sklearn.preprocessing import normalize

        x = counts.astype(np.float64)
        if sublinear:
            np.log(x.data, out=x.data)
            x.data += 1.0
        x = x.multiply(idf[np.newaxis, :]).tocsr()
        return normalize(x, norm="l2", copy=False)

    @staticmethod
    def _extra_features(
        texts: Sequence[str],
        languages: Sequence[str],
        lexicon: LexiconSentiment | None,
        language_index: Mapping[str, int],
    ) -> np.ndarray:
        n_lex = 3 if lexicon is not None else 0
        extra = np.zeros((len(texts), n_lex + len(language_index)), dtype=np.float64)
        for row, (text, lang) in enumerate(zip(texts, languages, strict=True)):
            if lexicon is not None:
                c = lexicon.counts(text, lang)
                extra[row, 0] = math.log1p(c.positive)
                extra[row, 1] = math.log1p(c.negative)
                extra[row, 2] = c.score
            column = language_index.get(lang)
            if column is not None:
                extra[row, n_lex + column] = 1.0
        return extra

    def _features(self, texts: Sequence[str], languages: Sequence[str]) -> Any:
        import scipy.sparse as sp

        ngrams = self._tfidf(
            self._ngram_counts(self._vectorizer, texts), self._idf_full, bool(self.params["sublinear_tf"])
        )
        extra = self._extra_features(texts, languages, self._lexicon, self._language_index)
        return sp.hstack([ngrams, sp.csr_matrix(extra)], format="csr")

    # -- prediction -------------------------------------------------------------------------------

    def probabilities(self, texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in ``LABELS`` order."""
        _check_lengths(texts, languages)
        if not texts:
            return np.zeros((0, len(LABELS)))
        logits = np.asarray(self._features(texts, languages) @ self._weights) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs[:, self._order]

    def predict(self, texts: list[str], languages: list[str]) -> list[SentimentResult]:
        results = []
        for p_neg, p_neu, p_pos in self.probabilities(texts, languages).tolist():
            probs = (p_neg, p_neu, p_pos)
            best = max(range(3), key=probs.__getitem__)
            results.append(SentimentResult(LABELS[best], float(p_pos - p_neg), float(probs[best])))
        return results

    # -- training ---------------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        languages: Sequence[str],
        labels: Sequence[str],
        *,
        seed: int = 0,
        params: Mapping[str, Any] | None = None,
    ) -> LearnedSentiment:
        """Fit a model on labelled comments (see :func:`weak_label`). Deterministic: the same
        examples, in any order, with the same seed and parameters give the same model."""
        import scipy.sparse as sp
        import sklearn
        from sklearn.linear_model import LogisticRegression

        _check_lengths(texts, languages)
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        unknown = set(labels) - set(LABELS)
        if unknown:
            raise ValueError(f"labels must be one of {LABELS}, got {sorted(map(str, unknown))}")
        missing = set(LABELS) - set(labels)
        if missing:
            raise ValueError(f"training needs examples of every label; none for {sorted(missing)}")
        hyper = {**DEFAULT_PARAMS, **(params or {})}
        rows = sorted(
            zip((str(t) for t in labels), (str(lang) for lang in languages), (str(t) for t in texts), strict=False)
        )
        labels_s = [r[0] for r in rows]
        languages_s = [r[1] for r in rows]
        texts_s = [r[2] for r in rows]
        lexicon = LexiconSentiment() if hyper["lexicon_features"] else None
        lex_print = lexicon.fingerprint if lexicon is not None else None

        data_hash = hashlib.sha256()
        for label, lang, text in rows:
            data_hash.update(json.dumps([label, lang, text], ensure_ascii=False).encode())
            data_hash.update(b"\n")
        identity = {
            "format": _FORMAT_VERSION,
            "data": data_hash.hexdigest(),
            "params": hyper,
            "seed": seed,
            "lexicon": lex_print,
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
        }
        version = "learned-" + hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:12]

        vectorizer = _hashing_vectorizer(hyper)
        counts = cls._ngram_counts(vectorizer, texts_s).tocsr()
        counts.sum_duplicates()
        n = len(texts_s)
        df = np.bincount(counts.indices, minlength=int(hyper["n_features"]))
        idf_full = np.log((1.0 + n) / (1.0 + df)) + 1.0
        idf_unseen = float(math.log(1.0 + n) + 1.0)
        # The model stores float32 weights and IDF; train on the same rounded IDF it predicts with.
        idf_full = idf_full.astype(np.float32).astype(np.float64)
        columns = np.flatnonzero(df).astype(np.int32)
        ngrams = cls._tfidf(counts, idf_full, bool(hyper["sublinear_tf"]))
        model_languages = tuple(sorted(set(languages_s)))
        extra = cls._extra_features(texts_s, languages_s, lexicon, {lang: i for i, lang in enumerate(model_languages)})
        x = sp.hstack([ngrams[:, columns], sp.csr_matrix(extra)], format="csr")

        classifier = LogisticRegression(
            C=float(hyper["C"]),
            class_weight="balanced",
            max_iter=int(hyper["max_iter"]),
            random_state=seed,
        )
        classifier.fit(x, labels_s)
        return cls(
            version=version,
            params=hyper,
            classes=[str(c) for c in classifier.classes_],
            languages=model_languages,
            columns=columns,
            idf=idf_full[columns].astype(np.float32),
            idf_unseen=float(np.float32(idf_unseen)),
            coef=classifier.coef_.astype(np.float32),
            intercept=classifier.intercept_.astype(np.float32),
            examples=n,
            lexicon_fingerprint=lex_print,
        )

    # -- storage ----------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        header = {
            "format": _FORMAT,
            "format_version": _FORMAT_VERSION,
            "version": self.trained_version,
            "params": self.params,
            "classes": list(self.classes),
            "languages": list(self.languages),
            "idf_unseen": self.idf_unseen,
            "examples": self.examples,
            "lexicon_fingerprint": self.lexicon_fingerprint,
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            header=np.frombuffer(json.dumps(header, sort_keys=True).encode(), dtype=np.uint8),
            columns=self.columns,
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> LearnedSentiment:
        """Load a model written by :meth:`to_bytes`. Runs no code from the blob (no pickle)."""
        try:
            with np.load(io.BytesIO(bytes(blob)), allow_pickle=False) as archive:
                header = json.loads(archive["header"].tobytes().decode())
                arrays = {name: archive[name] for name in ("columns", "idf", "coef", "intercept")}
        except Exception as exc:
            raise ValueError(f"not a stored sentiment model: {exc}") from exc
        if header.get("format") != _FORMAT:
            raise ValueError("not a stored sentiment model")
        if header.get("format_version") != _FORMAT_VERSION:
            raise ValueError(
                f"stored sentiment model has format {header.get('format_version')}, expected {_FORMAT_VERSION}"
            )
        return cls(
            version=header["version"],
            params=header["params"],
            classes=header["classes"],
            languages=header["languages"],
            idf_unseen=header["idf_unseen"],
            examples=header["examples"],
            lexicon_fingerprint=header.get("lexicon_fingerprint"),
            **arrays,
        )


def _hashing_vectorizer(params: Mapping[str, Any]) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer=params["analyzer"],
        ngram_range=(int(params["ngram_min"]), int(params["ngram_max"])),
        n_features=int(params["n_features"]),
        alternate_sign=False,
        norm=None,
        lowercase=False,  # done by _normalise
        dtype=np.float64,
    )


def train_or_none(
    texts: Sequence[str],
    languages: Sequence[str],
    labels: Sequence[str | None],
    *,
    min_per_class: int = MIN_PER_CLASS,
    seed: int = 0,
) -> LearnedSentiment | None:
    """Train a :class:`LearnedSentiment`, or return None (keep the lexicon) when any label has
    fewer than ``min_per_class`` examples (50: below that the lexicon is usually better).
    Examples labelled None are left out."""
    _check_lengths(texts, languages)
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    kept = [(i, label) for i, label in enumerate(labels) if label is not None and str(texts[i]).strip()]
    keep = [i for i, _label in kept]
    per_class = Counter(label for _i, label in kept)
    if any(per_class.get(label, 0) < min_per_class for label in LABELS):
        return None
    return LearnedSentiment.train(
        [texts[i] for i in keep], [languages[i] for i in keep], [label for _i, label in kept], seed=seed
    )


# --------------------------------------------------------------------------------------------------
# Local transformer models
# --------------------------------------------------------------------------------------------------

DEFAULT_LABEL_MAP: dict[str, Label] = {
    "negative": "negative",
    "neg": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "positive": "positive",
    "pos": "positive",
    # Three-class models without label names (cardiffnlp/twitter-xlm-roberta-base-sentiment style).
    "label_0": "negative",
    "label_1": "neutral",
    "label_2": "positive",
    # Star ratings (nlptown/bert-base-multilingual-uncased-sentiment style).
    "1 star": "negative",
    "2 stars": "negative",
    "3 stars": "neutral",
    "4 stars": "positive",
    "5 stars": "positive",
}


class TransformerSentiment:
    """A sequence-classification transformer the user keeps on disk, for whoever wants one.

    ``path`` is a local directory as saved by ``save_pretrained`` (``config.json``, tokenizer files,
    weights). Nothing is ever downloaded (``local_files_only=True``). Needs the ``transformers``
    and ``torch`` packages, which Heed does not install; without them, or without the directory,
    the constructor raises RuntimeError.

    The model's labels (``config.id2label``, compared lowercased) are mapped to negative / neutral
    / positive by ``label_map`` (default :data:`DEFAULT_LABEL_MAP`: negative/neutral/positive,
    LABEL_0-2, 1-5 stars); a label the map does not know raises RuntimeError at construction.
    Probabilities of labels that map to the same class are added up; score = P(positive) -
    P(negative), confidence = the probability of the chosen class.

    ``version`` is "transformer-" and a hash of the model's config, tokenizer config, label map and
    the size and first megabyte of each weights file (hashing gigabytes on every start would be
    slow): a different model gives a different version.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        label_map: Mapping[str, str] | None = None,
        batch_size: int = 32,
        max_length: int = 256,
        device: str | None = None,
    ) -> None:
        self.path = Path(path)
        if not self.path.is_dir() or not (self.path / "config.json").is_file():
            raise RuntimeError(
                f"No transformer model at {self.path}: expected a directory saved with save_pretrained() "
                "(config.json, tokenizer and weights). Heed never downloads models."
            )
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise RuntimeError(
                "TransformerSentiment needs the 'transformers' and 'torch' packages "
                f"(pip install transformers torch); {exc}"
            ) from exc
        self._torch = torch
        self.label_map = {k.lower(): v for k, v in (label_map or DEFAULT_LABEL_MAP).items()}
        bad = set(self.label_map.values()) - set(LABELS)
        if bad:
            raise ValueError(f"label_map values must be in {LABELS}, got {sorted(bad)}")
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(self.path, local_files_only=True)
            self.model = transformers.AutoModelForSequenceClassification.from_pretrained(
                self.path, local_files_only=True
            )
        except Exception as exc:
            raise RuntimeError(f"Could not load the transformer model at {self.path}: {exc}") from exc
        self.model.eval()
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model.to(self.device)
        self.batch_size = batch_size
        self.max_length = max_length
        id2label = {int(i): str(name) for i, name in self.model.config.id2label.items()}
        unmapped = sorted(name for name in id2label.values() if name.lower() not in self.label_map)
        if unmapped:
            raise RuntimeError(f"label_map does not say what the model's labels {unmapped} mean")
        self._class_of = [LABELS.index(self.label_map[id2label[i].lower()]) for i in range(len(id2label))]
        self.version = "transformer-" + self._fingerprint()

    def _fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name in ("config.json", "tokenizer_config.json"):
            file = self.path / name
            if file.is_file():
                digest.update(name.encode() + b"\0" + file.read_bytes())
        for file in sorted(self.path.iterdir()):
            if file.suffix in {".safetensors", ".bin", ".pt", ".h5", ".onnx"} and file.is_file():
                with file.open("rb") as handle:
                    digest.update(f"{file.name}\0{file.stat().st_size}\0".encode() + handle.read(1 << 20))
        digest.update(json.dumps(self.label_map, sort_keys=True).encode())
        return digest.hexdigest()[:12]

    def predict(self, texts: list[str], languages: list[str]) -> list[SentimentResult]:
        _check_lengths(texts, languages)
        torch = self._torch
        results: list[SentimentResult] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [str(t or "") for t in texts[start : start + self.batch_size]]
            encoded = self.tokenizer(
                batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
            ).to(self.device)
            with torch.no_grad():
                probs = torch.softmax(self.model(**encoded).logits, dim=-1).cpu().numpy()
            for row in probs:
                pooled = [0.0, 0.0, 0.0]
                for i, p in enumerate(row):
                    pooled[self._class_of[i]] += float(p)
                best = max(range(3), key=pooled.__getitem__)
                results.append(SentimentResult(LABELS[best], pooled[2] - pooled[0], pooled[best]))
        return results


# --------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------


def _metrics(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    confusion: dict[str, dict[str, int]] = {t: {p: 0 for p in LABELS} for t in LABELS}
    for t, p in zip(truth, predicted, strict=True):
        confusion[t][p] += 1
    n = len(truth)
    correct = sum(confusion[label][label] for label in LABELS)
    f1s = []
    for label in LABELS:
        tp = confusion[label][label]
        actual = sum(confusion[label].values())
        guessed = sum(confusion[t][label] for t in LABELS)
        if actual == 0 and guessed == 0:
            continue  # a label nobody used and nobody predicted says nothing
        f1s.append(2 * tp / (actual + guessed) if actual + guessed else 0.0)
    return {
        "n": n,
        "accuracy": correct / n if n else float("nan"),
        "macro_f1": sum(f1s) / len(f1s) if f1s else float("nan"),
        "confusion": confusion,
    }


def evaluate(model: SentimentModel, rows: list[dict]) -> dict[str, dict[str, Any]]:
    """Score ``model`` on labelled rows (``{"lang", "label", "text"}``), per language and for all.

    Each language's entry, and ``"all"``, has ``n``, ``accuracy``, ``macro_f1`` (the mean F1 over
    the labels that occur in the truth or the predictions) and ``confusion``
    (``confusion[true][predicted]`` counts). The model is given each row's own language, so this
    measures sentiment alone, not language detection."""
    for row in rows:
        if row.get("label") not in LABELS:
            raise ValueError(f"row label must be one of {LABELS}: {row!r}")
    texts = [str(row["text"]) for row in rows]
    languages = [str(row["lang"]) for row in rows]
    predicted = [r.label for r in model.predict(texts, languages)] if rows else []
    by_lang: dict[str, tuple[list[str], list[str]]] = {}
    for row, label in zip(rows, predicted, strict=True):
        truth, guess = by_lang.setdefault(str(row["lang"]), ([], []))
        truth.append(row["label"])
        guess.append(label)
    report = {lang: _metrics(*by_lang[lang]) for lang in sorted(by_lang)}
    report["all"] = _metrics([row["label"] for row in rows], predicted)
    return report


def load_rows(path: str | Path) -> list[dict]:
    """Labelled rows from a JSON-lines file (``{"lang", "label", "text"}`` per line)."""
    rows = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    return rows
