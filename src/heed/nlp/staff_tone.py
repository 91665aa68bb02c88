"""The tone of what a comment says about each staff member it names: praise, criticism or neither.

Scoring a whole sentence is not enough: "Ivana was lovely but Marko was rude" praises one and criticises the
other, and "Marko … je bio nepristojan" names Marko in one fragment and says he was rude in the next. So each
mention is scored on its *scope*, with the shipped lexicon (:class:`~heed.nlp.sentiment.
LexiconSentiment`, negation included):

1. The sentence naming the person is cut into clauses at ``, ; : ( ) – —`` and before a contrastive or
   relative word (:data:`CLAUSE_WORDS`, from ``data/<lang>/staff.json``: *but, while, who*; *ali, a,
   dok, koji*; *ma, mentre, che*; *но, а, который*; *aga, kuid, kes*). "And" (:data:`AND_WORDS`) cuts only
   before a name: "Ciara was great | and Sean was terrible", but "I spoke to Aoife and then to Liam" stays
   one clause.
2. A name's scope is its own clause when that clause has a polar word. Otherwise the scope grows forward over
   the following clauses that name nobody else, up to the first polar one (for the last name of its clause:
   "I spoke to Aoife and then to Liam, who was really rude" is about Liam), then backward in the same way
   (for the first name of its clause). A clause that is only the name and a conjunction ("И Анна, и Ольга
   были приветливы", "Sia Chiara che Giulia…") shares the next clause even if that one names someone.
3. If still nothing polar is found and the person's clause is a bare negation after a polar clause ("Ivana
   je bila ljubazna, a Marko nije", "Giulia è stata gentile, Marco no", "Kadri oli sõbralik, Martin
   mitte"), the person gets the opposite of that clause's tone.
4. If the person's sentence says nothing polar and the next sentence names no staff and starts with a
   personal pronoun (*he, she, on, ona, lui, lei, он, она, той, тя, ta*) or is a fragment of at most three
   words ("Very unhelpful."), that sentence is the scope.
5. The scope is scored like a comment: one polar word makes it positive or negative, "friendly but slow"
   neutral, nothing polar neutral.

Measured per language on ``data/staff_tone_eval.jsonl`` (docs/benchmarks.md); an organisation's learned
sentiment model is not used here, since it is trained on whole comments labelled by their scores and says
little about one clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from heed.nlp import lexicon as _lexicon
from heed.nlp.packs import by_language
from heed.nlp.sentiment import Label, LexiconSentiment, SentimentResult
from heed.nlp.staff import StaffMention, sentence_spans

__all__ = ["CLAUSE_WORDS", "StaffTone"]

CLAUSE_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(w) for lang, w in by_language("staff", "clause_words").items()
}
PRONOUNS: dict[str, frozenset[str]] = {lang: frozenset(w) for lang, w in by_language("staff", "pronouns").items()}
AND_WORDS: dict[str, frozenset[str]] = {lang: frozenset(w) for lang, w in by_language("staff", "and_words").items()}
BARE_NEGATIONS: dict[str, frozenset[str]] = {
    lang: frozenset(w) for lang, w in by_language("staff", "bare_negations").items()
}
_PUNCTUATION = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_NAME_AFTER = re.compile(r"\s+")


@dataclass
class _Clause:
    start: int
    end: int
    names: list[int]  # positions (start offsets) of the names in it, in order
    result: SentimentResult | None = None

    def polar(self) -> bool:
        return self.result is not None and self.result.label != "neutral"


class StaffTone:
    """Scores each staff mention of a comment on its scope (see the module docstring)."""

    VERSION = "staff-tone-1"

    def __init__(self, lexicon: LexiconSentiment | None = None) -> None:
        self.lexicon = lexicon or LexiconSentiment()
        self.version = f"{self.VERSION}+{self.lexicon.version}"

    def _score(self, text: str, lang: str) -> SentimentResult:
        return self.lexicon.result(self.lexicon.counts(text, lang))

    def _clauses(self, text: str, start: int, end: int, lang: str, names: list[int]) -> list[_Clause]:
        words = CLAUSE_WORDS.get(lang, frozenset().union(*CLAUSE_WORDS.values()))
        cuts = {start, end}
        for m in _PUNCTUATION.finditer(text, start, end):
            cuts.add(m.start())
        ands = AND_WORDS.get(lang, frozenset().union(*AND_WORDS.values()))
        for m in _WORD.finditer(text, start, end):
            word = m.group().lower()
            if word in words:
                cuts.add(m.start())
            elif word in ands:
                following = _NAME_AFTER.match(text, m.end())
                if following is not None and following.end() in names:
                    cuts.add(m.start())
        bounds = sorted(cuts)
        clauses = []
        for a, b in zip(bounds, bounds[1:], strict=False):
            if text[a:b].strip(" ,;:()\u2013\u2014-"):
                clauses.append(_Clause(a, b, [n for n in names if a <= n < b]))
        for clause in clauses:
            clause.result = self._score(text[clause.start : clause.end], lang)
        return clauses

    def _negates(self, text: str, lang: str) -> bool:
        negators = {w.lower() for w in _lexicon.NEGATORS.get(lang, ())} | BARE_NEGATIONS.get(lang, frozenset())
        words = [w.lower() for w in _WORD.findall(text)]
        return any(w in negators or w.endswith("n't") or w.endswith("n’t") for w in words)

    def score(self, text: str, lang: str, mentions: Sequence[StaffMention]) -> list[SentimentResult]:
        """One result per mention, in the order given. ``lang`` is the comment's language code."""
        by_position: dict[int, SentimentResult] = {}
        sentences = sentence_spans(text)
        for sentence_start, sentence_end in sorted({(m.sentence_start, m.sentence_end) for m in mentions}):
            names = sorted({m.start for m in mentions if sentence_start <= m.start < sentence_end})
            clauses = self._clauses(text, sentence_start, sentence_end, lang, names)
            for position in names:
                by_position[position] = self._for_name(text, lang, position, clauses, sentences, mentions)
        return [by_position[m.start] for m in mentions]

    def _for_name(
        self,
        text: str,
        lang: str,
        position: int,
        clauses: list[_Clause],
        sentences: list[tuple[int, int]],
        mentions: Sequence[StaffMention],
    ) -> SentimentResult:
        index = next(i for i, c in enumerate(clauses) if position in c.names)
        own = clauses[index]
        if own.polar():
            return own.result  # type: ignore[return-value]
        bare = len(_WORD.findall(text[own.start : own.end])) <= 2  # "И Анна," / "Sia Chiara": shares what follows
        if own.names[-1] == position:
            for clause in clauses[index + 1 :]:
                if clause.names and not bare:
                    break
                if clause.polar():
                    return self._score(text[own.start : clause.end], lang)
        if own.names[0] == position:
            for clause in reversed(clauses[:index]):
                if clause.names:
                    break
                if clause.polar():
                    return self._score(text[clause.start : own.end], lang)
        previous = clauses[index - 1].result if index else None
        if previous is not None and previous.label != "neutral" and self._negates(text[own.start : own.end], lang):
            flipped: Label = "negative" if previous.label == "positive" else "positive"
            return SentimentResult(flipped, -previous.score, previous.confidence)
        alone = len({n for c in clauses for n in c.names}) == 1
        if alone and not any(c.polar() for c in clauses):
            following = self._next_sentence(text, lang, clauses[-1].end, sentences, mentions)
            if following is not None:
                return following
        return own.result  # type: ignore[return-value]

    def _next_sentence(
        self, text: str, lang: str, after: int, sentences: list[tuple[int, int]], mentions: Sequence[StaffMention]
    ) -> SentimentResult | None:
        following = next(((a, b) for a, b in sentences if a >= after), None)
        if following is None or any(following[0] <= m.start < following[1] for m in mentions):
            return None
        words = [w.lower() for w in _WORD.findall(text[following[0] : following[1]])]
        pronouns = PRONOUNS.get(lang, frozenset().union(*PRONOUNS.values()))
        if not words or not (words[0] in pronouns or len(words) <= 3):
            return None
        result = self._score(text[following[0] : following[1]], lang)
        return result if result.label != "neutral" else None
