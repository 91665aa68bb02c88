"""Cold-start sentiment lexicon: polar words and phrases per language, hand-picked for customer feedback.

Used before an organisation has enough scored comments to train its own model. The entries cover the vocabulary
customers use about shops, online orders, delivery, customer service, bank branches, cafés, hotels and phone
support, in Italian (``it``), Croatian (``hr``), Bulgarian (``bg``), Russian (``ru``), Estonian (``et``) and
English (``en``). Neutral words are left out on purpose.

Matching rules (all entries are lowercase):

* The comment is lowercased and split into words. A single-word entry matches a word that *starts with* it, so
  entries for inflected languages are stems: ``"ljubazn"`` matches ``ljubazna``, ``ljubaznog`` and ``ljubazni``,
  ``"вежлив"`` matches ``вежливый`` and ``вежливо``. Stems in the inflected languages are at least four letters
  long (``"male"`` covers ``maleducato`` too), and stems that would also start common neutral words are avoided
  or spelt out further (``"preskup"``/``"skupo"`` rather than ``"skup"``, which would match ``skupa``
  "together").
* An entry containing a space or punctuation (``"value for money"``, ``"dugačak red"``, ``"na vrijeme"``) is a
  phrase and matches as a substring of the lowercased comment.
* Negated forms are prefixes of their own and therefore do not collide: ``"neljubazn"`` is not matched by
  ``"ljubazn"``, ``"unpleasant"`` is not matched by ``"pleasant"``.
* ``NEGATORS`` are whole words (``"n't"`` matches the end of a word) that flip the polarity of a polar entry
  following closely after them, so "not helpful" / "nije ljubazna" / "non male" count the other way.
* Russian text is matched as typed; where writers commonly swap ``ё`` and ``е`` both spellings are listed.

The entries live in the language packs, ``data/<lang>/sentiment.json`` (:mod:`heed.nlp.packs`), read once when
this module is imported: ``positive``, ``negative`` and ``negators``, with the entries for what customers say about
staff (predicate adjectives in their short nominative forms such as hr *nepristojan*, praise and complaint verbs,
idioms) and the complaint tables of ``lexicon-3`` (complaints told without a polar word): ``quantifiers``, negative
quantifiers (nobody, nessuno, nitko, никто) whose negation reaches the end of their clause; ``quantifier_stops``,
coordinating conjunctions that end a quantifier's scope as punctuation does; ``negatable``, neutral words that are
a complaint when a negator or quantifier reaches them ('nobody could tell me', 'nitko nije znao'); waiting and
absence phrases are among the ``negative`` entries. Shapes: ``{language code: tuple of entries}``.
"""

from heed.nlp.packs import by_language

POSITIVE: dict[str, tuple[str, ...]] = by_language("sentiment", "positive")
NEGATIVE: dict[str, tuple[str, ...]] = by_language("sentiment", "negative")
NEGATORS: dict[str, tuple[str, ...]] = by_language("sentiment", "negators")
QUANTIFIERS: dict[str, tuple[str, ...]] = by_language("sentiment", "quantifiers")
QUANTIFIER_STOPS: dict[str, tuple[str, ...]] = by_language("sentiment", "quantifier_stops")
NEGATABLE: dict[str, tuple[str, ...]] = by_language("sentiment", "negatable")
