"""Snowball stemmers for the languages Heed reads, where one exists (https://snowballstem.org/).

===== ============================================================================================
code  stemmer
===== ============================================================================================
en    Snowball English (Porter 2)
it    Snowball Italian
ru    Snowball Russian
et    Snowball Estonian (Freienthal & Kreutzer, Snowball 3.0)
hr    Snowball Serbian, which is built on Ljubešić & Pandžić's *Simple stemmer for Croatian* (2012) and reads
      Croatian's ijekavian forms (it spells the stem in ekavian: *cijena* → ``cen``, so the stem is not
      always a prefix of the word)
bg    none: Snowball has no Bulgarian stemmer, so Bulgarian words are kept whole
===== ============================================================================================

A stem groups the inflections of a word (*crash, crashes, crashed, crashing* → ``crash``); it is an internal
key, not text to show: the theme discovery turns a group back into keywords that match exactly its words
(:func:`heed.nlp.discovery.keywords_for_words`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import snowballstemmer

__all__ = ["SNOWBALL_ALGORITHM", "stemmer_for"]

SNOWBALL_ALGORITHM: dict[str, str] = {
    "en": "english",
    "it": "italian",
    "ru": "russian",
    "et": "estonian",
    "hr": "serbian",
}


@functools.cache
def stemmer_for(lang: str) -> Callable[[str], str] | None:
    """A function from a lower-case word to its stem in ``lang`` (a language code), or None when there is no
    stemmer for it (Bulgarian, unknown languages). Results are cached per word. Safe to call from several
    threads: a Snowball stemmer keeps state while it works, so each thread gets its own."""
    algorithm = SNOWBALL_ALGORITHM.get(lang)
    if algorithm is None:
        return None
    local = threading.local()

    @functools.lru_cache(maxsize=100_000)
    def stem(word: str) -> str:
        stemmer = getattr(local, "stemmer", None)
        if stemmer is None:
            stemmer = local.stemmer = snowballstemmer.stemmer(algorithm)
        return stemmer.stemWord(word)

    return stem
