"""Discovery of new themes: groups of recent comments that the taxonomy does not cover yet, each proposed with
keywords that match its words and their inflections, and nothing else.

Keywords (the rule :func:`keywords_for_words` applies)
    Words are grouped by their Snowball stem (:mod:`heed.nlp.stemming`; Bulgarian, which has no
    Snowball stemmer, keeps whole words). The forms of a stem that stand for the group are those written in
    its comments next to another of its words (a stemmer can conflate two words: Italian *vigilante* and
    *vigilia* are both ``vigil``). They become **one prefix keyword** when that is sound: they share one
    stem, the prefix (the stem, or where the stemmer respells the word, the forms' longest common beginning)
    has at least :data:`MIN_PREFIX` letters, and no other word of the comments read begins with it
    (``crash`` for *crash, crashes, crashed, crashing*). Otherwise they become **whole-word keywords**, one
    per form (``whole$`` rather than ``whole``, which would also match *wholesale*; ``app$``, ``apps$``
    rather than ``app``, which would also match *apply*).

Specificity
    An accepted theme is matched against every comment, not only the uncovered ones it was found in. So a
    term's precision is measured on all the comments read: the share of the comments containing it that are
    in the group, or covered but about the same topic (holding two of the group's core words, see
    :func:`_related`). Terms below :data:`MIN_KEYWORD_PRECISION` are not proposed, and terms are added only
    while the comments the keywords match together stay at least :data:`MIN_THEME_PRECISION` in the group.
    ``CandidateTheme.matches`` says how many of the comments read the keywords match; on demo-like comments
    it is about the group's size, where the former 5–6-letter truncation stems matched 3.4 times as many
    (docs/benchmarks.md).
"""

from __future__ import annotations

import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from heed.nlp.stemming import stemmer_for
from heed.nlp.themes import STOP_WORDS, Theme, ThemeMatcher, _language, _normalise

if TYPE_CHECKING:
    import numpy as np  # at run time numpy is imported inside the functions that use it

__all__ = [
    "MIN_KEYWORD_PRECISION",
    "MIN_PREFIX",
    "MIN_THEME_PRECISION",
    "CandidateTheme",
    "discover_themes",
    "keywords_for_words",
    "theme_from_candidate",
]

MIN_PREFIX = 5  # letters; a shorter stem as a prefix would reach too many unseen words
MAX_FORMS = 4  # whole-word keywords per word group
MIN_KEYWORD_PRECISION = 0.5
MIN_THEME_PRECISION = 2 / 3
MAX_TERMS = 8

_TOKEN = re.compile(r"[^\W\d_]{2,}")
_BIGRAM_GAP = re.compile(r"[\s\-'’]+")


@dataclass(frozen=True)
class CandidateTheme:
    """A group of uncovered comments that share vocabulary, proposed as a new theme.

    ``keywords`` are in the taxonomy's keyword syntax (word prefixes, ``$`` for a whole word) and can be
    accepted as they are with :func:`theme_from_candidate`; ``labels`` are the most frequent words written
    for each keyword, for display; ``count`` is the number of comments in the group; ``matches`` the number
    of all the comments read (covered ones included) that the keywords match; ``examples`` are the comments
    most typical of the group.
    """

    keywords: tuple[str, ...]
    count: int
    examples: tuple[str, ...]
    labels: tuple[str, ...] = field(default=())
    matches: int = 0


Stemmer = Callable[[str], str]


def _key(word: str, stem: Stemmer | None) -> str:
    return stem(word) if stem is not None else word


def keywords_for_words(forms: Mapping[str, int], *, lang: str, vocabulary: Iterable[str]) -> list[str]:
    """Keywords that match the words ``forms`` (one word's inflections as written in a group of comments,
    lower case, with their counts) and no other word of ``vocabulary`` (every word of the comments read).

    One prefix keyword when that is sound: the forms have one Snowball stem; the prefix is that stem (or,
    where the stemmer respells the word, the forms' longest common beginning); it has at least
    :data:`MIN_PREFIX` letters; and no word of ``vocabulary`` begins with it except the forms themselves.
    Otherwise the forms as whole words (``word$``), most frequent first, at most :data:`MAX_FORMS`."""
    ordered = sorted(forms, key=lambda w: (-forms[w], w))
    if not ordered:
        return []
    stem = stemmer_for(_language(lang))
    if stem is not None and len({stem(w) for w in ordered}) == 1:
        common = stem(ordered[0])
        prefix = common if all(w.startswith(common) for w in ordered) else os.path.commonprefix(ordered)
        own = set(ordered)
        if len(prefix) >= MIN_PREFIX and all(w in own for w in vocabulary if w.startswith(prefix)):
            return [prefix]
    return [w + "$" for w in ordered[:MAX_FORMS]]


def _features(text: str, stop: frozenset[str], stem: Stemmer | None) -> list[tuple[str, str]]:
    """(feature, surface) pairs: the stems of the non-stop words, and of pairs of them that follow each other
    with only spaces, hyphens or apostrophes between (so that a pair is also a matchable phrase)."""
    out: list[tuple[str, str]] = []
    previous: tuple[str, str] | None = None
    previous_end = 0
    normalised = _normalise(text)
    for m in _TOKEN.finditer(normalised):
        word = m.group()
        if _BIGRAM_GAP.fullmatch(normalised, previous_end, m.start()) is None:
            previous = None
        previous_end = m.end()
        if word in stop:
            previous = None
            continue
        key = _key(word, stem)
        out.append((key, word))
        if previous is not None:
            out.append((f"{previous[0]} {key}", f"{previous[1]} {word}"))
        previous = (key, word)
    return out


class _Keywords:
    """Turns the terms of one group (stems and pairs of stems) into keywords, sound for the comments read."""

    def __init__(
        self, lang: str, vocabulary: list[str], documents: list[list[tuple[str, str]]], terms: Iterable[str]
    ) -> None:
        self.lang = lang
        self.vocabulary = vocabulary
        self.documents = documents
        # stem -> the words written for it in the group's comments, and in those that also hold another of the
        # group's words: a stemmer can conflate two words (it: *vigilante* "guard" and *vigilia* "eve" are both
        # ``vigil``), and only the form seen in the group's context is the group's word.
        self.forms: dict[str, Counter[str]] = {}
        self.in_context: dict[str, Counter[str]] = {}
        words = {t for t in terms if " " not in t}
        for doc in documents:
            present = {f for f, _ in doc}
            for feature, surface in doc:
                if " " not in feature:
                    self.forms.setdefault(feature, Counter())[surface] += 1
                    if words & present - {feature}:
                        self.in_context.setdefault(feature, Counter())[surface] += 1

    def for_stem(self, key: str) -> list[str]:
        if key in self.in_context:
            return keywords_for_words(self.in_context[key], lang=self.lang, vocabulary=self.vocabulary)
        # Never seen with another of the group's words: nothing tells which words the stem stands for here.
        forms = self.forms.get(key, Counter())
        return [w + "$" for w in sorted(forms, key=lambda w: (-forms[w], w))[:MAX_FORMS]]

    def for_term(self, term: str) -> list[tuple[str, str]]:
        """(keyword, label) pairs for one term: the label is the word (or pair of words) written most often."""
        parts = term.split(" ")
        if len(parts) == 1:
            forms = self.in_context.get(term) or self.forms[term]
            best = forms.most_common(1)[0][0]
            return [(k, best if not k.endswith("$") else k[:-1]) for k in self.for_stem(term)]
        pairs: Counter[str] = Counter()
        for doc in self._documents_with(term):
            pairs.update(surface for feature, surface in doc if feature == term)
        out: dict[str, str] = {}
        for surface, _n in pairs.most_common(3):
            pieces = []
            for key, word in zip(parts, surface.split(" "), strict=True):
                own = self.for_stem(key)
                pieces.append(own[0] if len(own) == 1 and not own[0].endswith("$") else word + "$")
            out.setdefault(" ".join(pieces), surface)
        return list(out.items())

    def _documents_with(self, term: str) -> Iterable[list[tuple[str, str]]]:
        return (doc for doc in self.documents if any(f == term for f, _ in doc))


def _related(
    every: list[list[tuple[str, str]]],
    covered: list[int],
    vocabulary: list[str],
    coverage: Sequence[float] | np.ndarray,
) -> set[int]:
    """Covered comments that are about a group's topic as well: those with at least two of the group's core
    words (the five words, not pairs, most of its comments contain, each in at least a quarter of them).
    "The app crashed at the checkout" is covered by the checkout theme and is still about the app."""
    core = [vocabulary[j] for j in sorted(range(len(vocabulary)), key=lambda j: (-coverage[j], j))
            if " " not in vocabulary[j] and coverage[j] >= 0.25][:5]  # fmt: skip
    if len(core) < 2:
        return set()
    core_set = set(core)
    return {i for i in covered if len(core_set.intersection(f for f, _ in every[i])) >= 2}


def discover_themes(
    texts: Sequence[str],
    *,
    lang: str,
    known: ThemeMatcher | None = None,
    max_themes: int = 8,
    min_count: int = 5,
    seed: int = 0,
) -> list[CandidateTheme]:
    """Propose new themes in ``texts`` (recent comments in ``lang``) that the taxonomy does not cover yet.

    Method:

    1. If ``known`` is given, keep only the comments in which it finds no theme (the *uncovered* ones).
    2. Represent each uncovered comment by TF-IDF weights (Salton & Buckley 1988; sub-linear term frequency,
       smoothed IDF, L2-normalised rows) over word unigrams and bigrams. Words are lower-cased, stop words (a
       short list per language in :data:`heed.nlp.themes.STOP_WORDS`) are dropped, and each word is
       reduced to its Snowball stem (:mod:`heed.nlp.stemming`; Bulgarian words are kept whole).
       Only terms that occur in at least two uncovered comments are used.
    3. Factorise the comment × term matrix with non-negative matrix factorisation (Lee & Seung 1999,
       *Learning the parts of objects by non-negative matrix factorization*, Nature 401:788–791), using
       scikit-learn's coordinate-descent solver with NNDSVDa initialisation, which is deterministic for a
       given ``seed``, into ``max_themes`` components (fewer for small inputs); each comment goes to its
       strongest component.
    4. NMF tends to split one theme by its secondary words (*app crashes* / *app freezes*), so components are
       merged when they share an anchor word: a word among a component's five strongest terms (alone or in a
       bigram) that occurs in at least 60% of the component's comments.
    5. Groups with fewer than ``min_count`` comments are dropped; the rest are returned largest first. A
       group's terms are ranked by coverage × precision (the share of the group's comments that contain the
       term, times the share of *all* the comments containing it that are in the group or about its topic);
       terms with a precision under :data:`MIN_KEYWORD_PRECISION` are left out, and terms are taken while the
       comments they match together stay :data:`MIN_THEME_PRECISION` in the group. Each term becomes keywords
       by :func:`keywords_for_words`. The examples are the comments with the largest NMF weight.

    The result is a proposal for an analyst: accept a candidate with :func:`theme_from_candidate`.
    """
    code = _language(lang)
    texts = [t for t in texts if t and t.strip()]
    pool = [i for i, t in enumerate(texts) if known is None or not known.match(t, code)]
    if len(pool) < max(min_count, 2) or max_themes < 1:
        return []

    stop = STOP_WORDS.get(code) or frozenset().union(*STOP_WORDS.values())
    stem = stemmer_for(code)
    every = [_features(t, stop, stem) for t in texts]  # all comments read, covered ones included
    documents = [every[i] for i in pool]

    # Terms that occur in at least two uncovered comments.
    document_frequency = Counter(f for doc in documents for f in {f for f, _ in doc})
    vocabulary = sorted(f for f, n in document_frequency.items() if n >= 2)
    if not vocabulary:
        return []
    term_index = {term: j for j, term in enumerate(vocabulary)}
    # In which of all the comments each term occurs (what an accepted theme will match).
    occurs: dict[str, set[int]] = {term: set() for term in vocabulary}
    for i, doc in enumerate(every):
        for feature, _surface in doc:
            if feature in occurs:
                occurs[feature].add(i)

    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        analyzer=lambda doc: [f for f, _ in doc],
        vocabulary=vocabulary,
        sublinear_tf=True,
        smooth_idf=True,
        norm="l2",
        dtype=np.float64,
    )
    matrix = vectoriser.fit_transform(documents)
    present = (matrix > 0).tocsc()  # comment × term presence
    has_terms = np.asarray(present.sum(axis=1)).ravel() > 0
    if has_terms.sum() < min_count:
        return []

    components = max(1, min(max_themes, len(vocabulary), int(has_terms.sum())))
    model = NMF(n_components=components, init="nndsvda", solver="cd", max_iter=500, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, RuntimeWarning))
        weights = model.fit_transform(matrix)  # comments × components
    strength = model.components_  # components × terms
    assigned = np.where(has_terms & (weights.max(axis=1) > 0), weights.argmax(axis=1), -1)

    def coverage(members: np.ndarray, term: str) -> float:
        return float(present[members, term_index[term]].sum()) / len(members)

    # Anchor words of each non-empty component, then union-find over shared anchors.
    parent = list(range(components))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[str, int] = {}
    for k in range(components):
        members = np.flatnonzero(assigned == k)
        if not len(members):
            continue
        top = np.argsort(-strength[k], kind="stable")[:5]
        top_words = dict.fromkeys(w for j in top for w in vocabulary[j].split(" "))
        for word in top_words:
            if word in term_index and coverage(members, word) >= 0.6:
                if word in owner:
                    parent[root(k)] = root(owner[word])
                else:
                    owner[word] = k

    groups: dict[int, list[int]] = {}
    for k in range(components):
        groups.setdefault(root(k), []).append(k)

    words = sorted({w for t in texts for w in _TOKEN.findall(_normalise(t))} | stop)
    covered = sorted(set(range(len(texts))) - set(pool))
    every_frequency = np.array([len(occurs[t]) for t in vocabulary], dtype=float)
    candidates: list[tuple[int, float, CandidateTheme]] = []
    for parts in groups.values():
        members = np.flatnonzero(np.isin(assigned, parts))
        if len(members) < min_count:
            continue
        in_group = np.asarray(present[members].sum(axis=0)).ravel()
        precision = in_group / every_frequency
        scores = in_group / len(members) * precision
        group = {pool[i] for i in members} | _related(every, covered, vocabulary, in_group / len(members))
        chosen: list[int] = []
        matched: set[int] = set()
        for j in np.argsort(-scores, kind="stable"):
            if len(chosen) == MAX_TERMS or scores[j] <= 0:
                break
            if in_group[j] < 2 or precision[j] < MIN_KEYWORD_PRECISION:
                continue
            union = matched | occurs[vocabulary[j]]
            if chosen and len(union & group) < MIN_THEME_PRECISION * len(union):
                continue
            chosen.append(int(j))
            matched = union
        if not chosen:
            continue
        keywords_of = _Keywords(code, words, [documents[i] for i in members], [vocabulary[j] for j in chosen])
        pairs = dict(p for j in chosen for p in keywords_of.for_term(vocabulary[j]))
        keywords = tuple(pairs)
        matcher = ThemeMatcher([Theme(key="candidate", names={}, keywords={code or "en": keywords})])
        matches = sum(1 for t in texts if matcher.match(t, code or "en"))
        typicality = weights[members][:, parts].max(axis=1)
        by_typicality = members[np.argsort(-typicality, kind="stable")]
        examples = tuple(dict.fromkeys(texts[pool[i]] for i in by_typicality))[:3]
        candidate = CandidateTheme(keywords=keywords, count=len(members), examples=examples,
                                   labels=tuple(pairs.values()), matches=matches)  # fmt: skip
        candidates.append((len(members), float(typicality.sum()), candidate))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2].keywords))
    return [c for _, _, c in candidates[:max_themes]]


def theme_from_candidate(candidate: CandidateTheme, *, key: str, name: str, lang: str) -> Theme:
    """Accept a discovered candidate into the taxonomy as a new :class:`Theme` for ``lang``.

    The theme has keywords in ``lang`` only: the analyst adds the organisation's other languages afterwards
    (the themes page and ``/api/taxonomy`` list the languages a theme has no keywords for)."""
    return Theme(key=key, names={_language(lang): name}, keywords={_language(lang): tuple(candidate.keywords)})
