"""Themes in customer comments: an editable keyword taxonomy, a fast matcher and discovery of new themes.

Taxonomy
    A :class:`Theme` has a stable ``key``, a display name per language and keywords per language.
    :data:`DEFAULT_TAXONOMY` is a starting point for retail and service feedback in it, hr, bg, ru, et and en;
    an organisation is expected to copy and edit it (``Theme.to_dict`` / ``Theme.from_dict`` round-trip
    through JSON).

Keyword syntax and matching rule
    * Text and keywords are compared after Unicode NFC normalisation and lower-casing; Russian ``ё`` is
      folded to ``е`` on both sides, so keywords are written with ``е``.
    * A keyword is one word or a short phrase. Each of its words must start at a Unicode word boundary
      (``(?<!\\w)``) and is matched as a **prefix** of a word in the text, so one stem covers the
      inflections: ``ljubazn`` matches *ljubazna*, *ljubaznog*, *ljubaznost*; ``queu`` matches *queue*,
      *queues*, *queuing*. A word never matches in the middle or at the end of a longer word:
      ``cassa`` does not match *incassare*.
    * A word that ends in ``$`` must match a whole word: ``app$`` matches *app* but not *apple*; ``redovi$``
      matches Croatian *redovi* (queues) but not *redovito* (regularly).
    * A phrase (``fitting room``, ``money back``) matches its words in sequence, each a prefix as above,
      separated by any non-word characters (spaces, hyphens, apostrophes): ``self check`` matches
      *self-checkout* and *self checkouts*; ``couldn t find`` matches *couldn’t find*.
    * For hr, it and en every keyword also matches its spelling without diacritics (``čekan`` → ``cekan``,
      ``qualità`` → ``qualita``), because many customers type without them.
    * A theme matches when any of its keywords for the comment's language matches. An unknown or missing
      language uses the union of the keywords of all languages.

Discovery
    :func:`heed.nlp.discovery.discover_themes` proposes new themes in recent comments that the
    taxonomy does not cover yet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_TAXONOMY",
    "LANGUAGES",
    "STOP_WORDS",
    "Theme",
    "ThemeMatcher",
]

LANGUAGES: tuple[str, ...] = ("it", "hr", "bg", "ru", "et", "en")

# Latin-script languages whose keywords also match without diacritics. Not Estonian: õ, ä, ö, ü are letters of
# their own there (tõre "grumpy" vs tore "nice"), and Estonian keyboards have them.
_FOLD_LANGUAGES = frozenset({"it", "hr", "en"})


# --------------------------------------------------------------------------------------------------------------
# Text normalisation and keyword parsing
# --------------------------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """NFC, lower case, ``ё`` → ``е``."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        return text.lower().replace("ё", "е")
    return text.lower()


def _fold(text: str) -> str:
    """Strip diacritics from Latin letters (``č`` → ``c``, ``đ`` → ``d``, ``õ`` → ``o``)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _language(lang: str | None) -> str:
    """``"hr-HR"`` → ``"hr"``; ``None`` → ``""``."""
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0] if lang else ""


_KEYWORD_WORD = re.compile(r"(\w+)(\$?)")

# A parsed keyword: a tuple of (word, whole_word) pairs.
_Parsed = tuple[tuple[str, bool], ...]


def _parse_keyword(keyword: str) -> _Parsed:
    words = tuple((w, bool(exact)) for w, exact in _KEYWORD_WORD.findall(_normalise(keyword)))
    if not words:
        raise ValueError(f"keyword {keyword!r} has no word characters")
    return words


def _keyword_regex(parsed: _Parsed) -> str:
    parts = []
    last = len(parsed) - 1
    for i, (word, exact) in enumerate(parsed):
        piece = re.escape(word)
        if exact:
            piece += r"(?!\w)"
        elif i < last:
            piece += r"\w*"
        parts.append(piece)
    return r"\W+".join(parts)


def _implies(longer: _Parsed, shorter: _Parsed) -> bool:
    """Whether every text position matched by ``longer`` is also matched by ``shorter``."""
    if len(shorter) > len(longer):
        return False
    for (w_long, exact_long), (w_short, exact_short) in zip(longer, shorter, strict=False):
        if exact_short:
            if not (exact_long and w_long == w_short):
                return False
        elif not w_long.startswith(w_short):
            return False
    return True


# --------------------------------------------------------------------------------------------------------------
# Theme
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy.

    ``names`` maps a language code to the display name; ``keywords`` maps a language code to lower-case word
    prefixes or short phrases (see the module docstring for the matching rule). Keywords are normalised on
    construction (lower case, single spaces); a keyword without any word character is dropped.
    """

    key: str
    names: Mapping[str, str]
    keywords: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        if not self.key or any(ch.isspace() for ch in self.key):
            raise ValueError(f"theme key {self.key!r} must be non-empty and without spaces")
        cleaned: dict[str, tuple[str, ...]] = {}
        for lang, words in self.keywords.items():
            if isinstance(words, str):
                raise TypeError(f"keywords of {self.key!r} for {lang!r} must be a sequence of strings")
            parsed = (_KEYWORD_WORD.findall(_normalise(w)) for w in words)
            items = tuple(dict.fromkeys(" ".join(w + e for w, e in p) for p in parsed if p))
            if items:
                cleaned[_language(lang)] = items
        object.__setattr__(self, "keywords", cleaned)
        object.__setattr__(self, "names", {_language(lang): name for lang, name in self.names.items()})

    def __hash__(self) -> int:
        return hash(self.key)

    def name(self, lang: str | None = None) -> str:
        """Display name in ``lang``, else English, else the key."""
        return self.names.get(_language(lang)) or self.names.get("en") or self.key

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "names": dict(self.names),
            "keywords": {lang: list(words) for lang, words in self.keywords.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Theme:
        return cls(
            key=data["key"],
            names=dict(data.get("names", {})),
            keywords={lang: tuple(words) for lang, words in data.get("keywords", {}).items()},
        )


# --------------------------------------------------------------------------------------------------------------
# Matcher
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    regex: re.Pattern[str]
    # group index (1-based, as Match.lastindex) -> indices of the themes credited by that keyword
    credits: tuple[frozenset[int], ...]


def _compile(entries: Iterable[tuple[str, int]]) -> _Compiled | None:
    """One alternation of all keywords, tried at every word start inside a look-ahead.

    Each alternative ends in an empty capturing group, so ``Match.lastindex`` tells which keyword matched
    (and the engine's fast literal check on the alternative's first character still applies). Longer keywords
    come first; a match also credits the themes of every keyword it implies (``queue`` ⇒ ``queu``), so
    overlapping keywords of different themes at one position are all credited.
    """
    themes_of: dict[_Parsed, set[int]] = {}
    for keyword, theme_index in entries:
        themes_of.setdefault(_parse_keyword(keyword), set()).add(theme_index)
    if not themes_of:
        return None
    ordered = sorted(themes_of, key=lambda p: (-len(p), -sum(len(w) for w, _ in p), [not e for _, e in p], p))
    by_first_word: dict[str, list[_Parsed]] = {}
    for parsed in ordered:
        by_first_word.setdefault(parsed[0][0], []).append(parsed)
    credits = []
    for parsed in ordered:
        first = parsed[0][0]
        credited: set[int] = set()
        for end in range(1, len(first) + 1):
            for other in by_first_word.get(first[:end], ()):
                if _implies(parsed, other):
                    credited |= themes_of[other]
        credits.append(frozenset(credited))
    # Group the alternatives by their first character, so that at a word start the engine only tries the
    # keywords that begin with that character. Keywords that imply one another share the first character,
    # so the longer-first order that matters is kept inside each group.
    groups: dict[str, list[_Parsed]] = {}
    for parsed in ordered:
        groups.setdefault(parsed[0][0][0], []).append(parsed)
    credit_of = dict(zip(ordered, credits, strict=True))
    branches = []
    group_credits: list[frozenset[int]] = [frozenset()]  # capturing groups are numbered from 1, in pattern order
    for first, members in groups.items():
        prefix = re.escape(first)
        alternatives = []
        for parsed in members:
            alternatives.append(_keyword_regex(parsed).removeprefix(prefix) + "()")
            group_credits.append(credit_of[parsed])
        branches.append(f"{prefix}(?:{'|'.join(alternatives)})")
    return _Compiled(re.compile(rf"(?<!\w)(?=(?:{'|'.join(branches)}))"), tuple(group_credits))


class ThemeMatcher:
    """Finds the themes of a comment. Compiles one regular expression per language once.

    >>> ThemeMatcher().match("Prodavačica je bila jako ljubazna, ali red na blagajni je bio dug.", "hr")
    ('staff_friendliness', 'waiting_time', 'checkout')
    """

    def __init__(self, themes: Iterable[Theme] | None = None) -> None:
        themes = DEFAULT_TAXONOMY if themes is None else tuple(themes)
        keys = [t.key for t in themes]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate theme keys: {', '.join(duplicates)}")
        self.themes: tuple[Theme, ...] = themes
        self._keys = tuple(keys)
        per_language: dict[str, list[tuple[str, int]]] = {}
        for index, theme in enumerate(themes):
            for lang, words in theme.keywords.items():
                bucket = per_language.setdefault(lang, [])
                for word in words:
                    bucket.append((word, index))
                    if lang in _FOLD_LANGUAGES:
                        folded = _fold(word)
                        if folded != word:
                            bucket.append((folded, index))
        self._compiled: dict[str, _Compiled | None] = {lang: _compile(e) for lang, e in per_language.items()}
        self._fallback = _compile(e for entries in per_language.values() for e in entries)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._compiled))

    def match(self, text: str, lang: str | None = None) -> tuple[str, ...]:
        """Keys of the themes found in ``text``, in taxonomy order."""
        if not text:
            return ()
        code = _language(lang)
        compiled = self._compiled.get(code, self._fallback)
        if compiled is None:
            return ()
        credits = compiled.credits
        found: set[int] = set()
        for m in compiled.regex.finditer(_normalise(text)):
            found |= credits[m.lastindex]  # type: ignore[index]
        if not found:
            return ()
        keys = self._keys
        return tuple(keys[i] for i in sorted(found))

    def theme(self, key: str) -> Theme:
        return self.themes[self._keys.index(key)]


# --------------------------------------------------------------------------------------------------------------
# Default taxonomy
# --------------------------------------------------------------------------------------------------------------


def _theme(key: str, names: dict[str, str], **keywords: tuple[str, ...]) -> Theme:
    return Theme(key=key, names=names, keywords=keywords)


# fmt: off
DEFAULT_TAXONOMY: tuple[Theme, ...] = (
    _theme(
        "staff_friendliness",
        {
            "en": "Staff friendliness",
            "it": "Cortesia del personale",
            "hr": "Ljubaznost osoblja",
            "bg": "Любезност на персонала",
            "ru": "Вежливость персонала",
            "et": "Personali sõbralikkus",
        },
        en=(
            "friendl", "unfriendl", "rude", "polite", "impolite", "courteous", "welcoming", "helpful", "unhelpful",
            "smil", "cheerful", "attitude", "ignor", "patien", "chatting", "arrogant", "grumpy", "condescending",
        ),
        it=(
            "gentil", "cortes", "scortes", "maleducat", "sgarbat", "antipatic", "simpatic", "sorris", "sorrid",
            "accoglien", "disponibilissim", "chiacchier", "ignorat", "nessuno mi ha consider", "pazien", "arrogant",
        ),
        hr=(
            "ljubazn", "ljubazan", "neljubazn", "neljubazan", "nepristojn", "bezobraz", "osmijeh", "nasmijan",
            "srdačn", "srdačan", "uslužn", "uslužan", "neuslužn", "drsk", "drzak", "ignorira", "međusobno",
            "nitko mi nije priš", "strpljiv", "strpljen", "nezainteresiran", "arogant",
        ),
        bg=(
            "любезн", "любезен", "нелюбезн", "нелюбезен", "груб", "учтив", "неучтив", "приветлив", "усмихн", "усмивк",
            "обърн внимание", "нахал", "отзивчив", "услужлив", "търпелив", "търпение", "помежду си", "арогант",
        ),
        ru=(
            "вежлив", "невежлив", "груб", "нагруб", "хамств", "хамск", "нахамил", "приветлив", "доброжелательн",
            "улыб", "любезн", "дружелюбн", "игнорир", "проигнорир", "болтал", "отзывчив", "терпелив", "внимательн",
        ),
        et=(
            "sõbralik", "ebasõbralik", "viisaka", "ebaviisak", "lahke", "naerat", "ükskõiks", "abivalmi", "lobise",
            "kannatlik", "rõõmsameel", "ülbe", "tõre", "minust välja", "hoolitsev",
        ),
    ),
    _theme(
        "staff_competence",
        {
            "en": "Staff knowledge & advice",
            "it": "Competenza del personale",
            "hr": "Stručnost osoblja",
            "bg": "Компетентност на персонала",
            "ru": "Компетентность персонала",
            "et": "Personali asjatundlikkus",
        },
        en=(
            "knowledg", "professional", "unprofessional", "advice", "advis", "expert", "competen", "incompeten",
            "clueless", "nobody knew", "didn t know", "knew everything", "knew the product", "trained", "training",
        ),
        it=(
            "professional", "competen", "incompeten", "consigli", "preparat", "espert", "non sapev", "nessuno sapeva",
            "conoscevan", "ben informat", "incapac",
        ),
        hr=(
            "stručn", "stručan", "nestručn", "nestručan", "profesional", "neprofesional", "savjet", "posavjet",
            "kompetent", "nekompetent", "upućen", "neupućen", "nije znao", "nije znala", "nitko nije znao", "zna sve",
            "sve su znali",
        ),
        bg=(
            "професионал", "непрофесионал", "компетент", "некомпетент", "съвет", "посъвет", "знае всичко",
            "знаеха всичко", "нищо не знае", "не знаеше", "експерт", "информиран",
        ),
        ru=(
            "профессионал", "непрофессионал", "компетент", "некомпетент", "совет", "посовет", "подсказ", "все знал",
            "знает товар", "ничего не знал", "толков", "разбира", "консульт", "эксперт",
        ),
        et=(
            "professionaal", "asjatundlik", "asjatundmatu", "pädev", "ebapädev", "nõuand", "nõusta", "head nõu",
            "ei teadnud", "teadmis", "tundis toot", "kompetent",
        ),
    ),
    _theme(
        "waiting_time",
        {
            "en": "Waiting time & queues",
            "it": "Attese e code",
            "hr": "Čekanje i redovi",
            "bg": "Чакане и опашки",
            "ru": "Ожидание и очереди",
            "et": "Ootamine ja järjekorrad",
        },
        en=(
            "queu", "wait", "long line", "in line", "slow", "took forever", "took ages", "understaff", "crowd",
            "busy",
        ),
        it=(
            "coda$", "code$", "fila$", "file alle", "attes", "aspettato", "aspettare", "aspetta$", "lento", "lenta",
            "lentezz", "lentissim", "ressa", "affollat", "troppa gente",
        ),
        hr=(
            "čeka", "gužv", "dug red", "dugačak red", "dugi red", "redovi$", "redova$", "red na blagajn", "red od",
            "sporo$", "spora$", "spori$", "sporost", "predugo",
        ),
        bg=(
            "опашк", "чака", "изчак", "почак", "бавн", "бавен", "навалиц", "блъсканиц", "претъпкан", "твърде дълго",
        ),
        ru=(
            "очеред", "ожидан", "долго жда", "пришлось жда", "простоял", "медленн", "толп", "давк", "долго ждать",
        ),
        et=(
            "järjekor", "kassajärjekor", "ootasin", "ootasime", "ootama$", "ootamis", "ootamin", "kaua oodata",
            "tuli oodata", "ooteaeg", "aeglane", "aeglas", "tunglemi", "rahvast täis",
        ),
    ),
    _theme(
        "price",
        {
            "en": "Price & value for money",
            "it": "Prezzi e rapporto qualità-prezzo",
            "hr": "Cijene i vrijednost za novac",
            "bg": "Цени и съотношение цена-качество",
            "ru": "Цены и соотношение цены и качества",
            "et": "Hinnad ja hinna-kvaliteedi suhe",
        },
        en=(
            "price", "overpric", "expensive", "cheap", "value for money", "good value", "best value", "bargain",
            "afford", "cost$", "costs$", "costly", "for the money", "rip off",
        ),
        it=(
            "prezz", "costos", "costa$", "costano", "caro$", "cari$", "cara$", "economic", "convenien",
            "rapporto qualit", "affar",
        ),
        hr=(
            "cijena", "cijene", "cijenu", "cijenom", "cijeni$", "preskup", "skupo$", "skupi$", "skuplj", "jeftin",
            "povoljn", "povoljan", "precijenjen", "za taj novac", "isplativ",
        ),
        bg=(
            "цена", "цени$", "цените", "ценов", "скъп", "евтин", "изгодн", "изгоден", "тези пари", "надценен",
        ),
        ru=(
            "цена", "цены", "ценой", "цене$", "ценам", "цену$", "ценник", "ценов", "дорого", "дорогие", "дорогое",
            "дорогая", "дороже", "подорож", "дешев", "переплат", "стоимост", "выгодн", "эти деньги",
        ),
        et=(
            "hind$", "hinnad", "hinnaga", "hinna$", "hinnale", "hinnast", "kallis", "kallid", "kallim", "kallin",
            "odav", "soodne", "soodsa", "raha eest", "ülehinnat",
        ),
    ),
    _theme(
        "product_availability",
        {
            "en": "Product availability & sizes",
            "it": "Disponibilità e taglie",
            "hr": "Dostupnost proizvoda i veličina",
            "bg": "Наличност и размери",
            "ru": "Наличие товара и размеров",
            "et": "Kaupade ja suuruste saadavus",
        },
        en=(
            "size", "stock", "restock", "sold out", "availab", "unavailab", "ran out", "run out", "empty shel",
            "half empty", "didn t have", "out of my size",
        ),
        it=(
            "taglia", "taglie", "disponibilità", "non disponibil", "esaurit", "mancav", "mancan", "manca$",
            "scaffali vuot", "mezzi vuot", "magazzino", "riassortiment",
        ),
        hr=(
            "veličin", "zalih", "rasprodan", "na stanju", "nedostup", "dostupn", "dostupan", "poluprazn",
            "prazne police", "skladišt", "nisu imali", "nestal",
        ),
        bg=(
            "размер", "наличн", "наличен", "изчерпан", "склад", "полупразн", "полупразен", "празни рафт", "липс",
            "свършил",
        ),
        ru=(
            "размер", "наличи", "нет в наличи", "раскупил", "распродан", "склад$", "складе$", "складу$", "склада$",
            "полупуст", "пустые полк", "дефицит",
        ),
        et=(
            "suurus", "laos$", "laost", "laoseis", "otsa saa", "läbi müüd", "saadaval", "pooltühj", "tühjad riiul",
            "oli olemas", "puudu",
        ),
    ),
    _theme(
        "product_quality",
        {
            "en": "Product quality",
            "it": "Qualità dei prodotti",
            "hr": "Kvaliteta proizvoda",
            "bg": "Качество на продуктите",
            "ru": "Качество товаров",
            "et": "Toodete kvaliteet",
        },
        en=(
            "quality", "broke", "defect", "faulty", "shrunk", "shrink", "lost its shape", "washes", "washing",
            "fell apart", "torn", "ripped", "durab", "fabric", "material", "flimsy", "well made", "cheaply made",
            "stitch", "thin$", "last$",
        ),
        it=(
            "qualit", "rott", "difett", "scadent", "tessut", "material", "deformat", "rovinat", "scucit", "strappat",
            "lavaggi", "resistent", "sottil", "morbid", "durano",
        ),
        hr=(
            "kvalitet", "pokvar", "razbij", "oštećen", "rastegl", "pranj", "materijal", "tkanin", "traju$",
            "izdržljiv", "tanka$", "tanak$", "tanke$", "mekan", "poderan", "defekt", "neispravn",
        ),
        bg=(
            "качеств", "счупен", "повреден", "дефект", "разтегл", "пране", "материал", "платов", "платът", "издържат",
            "скъсан", "тънк", "тънък", "меки$", "разпад",
        ),
        ru=(
            "качеств", "слома", "разбит", "бракован", "дефект", "растяну", "стирк", "ткан", "материал", "порвал",
            "тонк", "долго нос", "прочн", "мягкие",
        ),
        et=(
            "kvalitee", "katki", "defekt", "praak", "venis", "pesu$", "pestud", "pesemis", "materjal", "kangas",
            "kanga", "peavad vastu", "vastupidav", "õhuke", "pehme", "rebene", "lagune",
        ),
    ),
    _theme(
        "cleanliness",
        {
            "en": "Cleanliness & toilets",
            "it": "Pulizia e servizi igienici",
            "hr": "Čistoća i toaleti",
            "bg": "Чистота и тоалетни",
            "ru": "Чистота и туалеты",
            "et": "Puhtus ja tualetid",
        },
        en=(
            "clean", "unclean", "dirt", "filth", "mess$", "messy", "untidy", "tidy", "spotless", "smell", "stink",
            "stank", "rubbish", "litter", "hygien", "toilet", "sticky", "dust", "neat", "damp",
        ),
        it=(
            "pulit", "puliz", "sporc", "disordin", "in ordine", "puzz", "odore", "umid", "bagni$", "bagno$",
            "toilette", "igien", "polver",
        ),
        hr=(
            "čist", "prljav", "nered", "neuredn", "neuredan", "uredn", "uredan", "smrd", "vlag", "wc$", "toalet",
            "higijen", "prašin", "smeć",
        ),
        bg=(
            "чист", "мръсн", "мръсен", "бъркот", "разхвърлян", "подреден", "неподреден", "мириш", "воня", "влаг",
            "тоалет", "хигиен", "прашн", "боклу",
        ),
        ru=(
            "чист", "грязн", "грязен", "бардак", "беспоряд", "пахн", "вонь", "воня", "сырост", "туалет", "гигиен",
            "пыль", "пыльн", "мусор", "прибра", "опрятн", "неопрятн", "аккуратн",
        ),
        et=(
            "puhas", "puhta", "puhtus", "mustad$", "mustus", "räpa", "segadus", "segamini", "korrastamis", "lõhn",
            "hais", "niiske", "tualet", "wc$", "hügieen", "tolm", "prügi", "koristam",
        ),
    ),
    _theme(
        "checkout",
        {
            "en": "Checkout & payment",
            "it": "Casse e pagamento",
            "hr": "Blagajne i plaćanje",
            "bg": "Каси и плащане",
            "ru": "Кассы и оплата",
            "et": "Kassad ja maksmine",
        },
        en=(
            "checkout", "till$", "tills$", "cashier", "cash desk", "cash register", "self check", "self service",
            "self scan", "payment", "paid$", "paying", "contactless", "receipt", "bagging area", "scanner",
            "card didn t", "card payment",
        ),
        it=(
            "cassa$", "casse$", "cassier", "cassa automatic", "casse automatic", "pagament", "pagare", "pagato",
            "scontrin", "carta di credito", "bancomat", "contactless", "carta non",
        ),
        hr=(
            "blagajn", "samoposlužn", "plaćanj", "platio", "platila", "naplat", "kasa$", "kasi$", "kase$", "račun",
            "kartica nije", "skener",
        ),
        bg=(
            "каса", "каси$", "касите", "касиер", "самообслужв", "плащане", "платих", "касов бележк", "терминал",
            "картата ми не",
        ),
        ru=(
            "касс", "самообслуживан", "оплат", "чек$", "чека$", "чеке$", "чеки$", "терминал", "карта не прош",
            "расплат",
        ),
        et=(
            "kassa", "iseteenindus", "maksmi", "makse", "kaardimakse", "kaart$", "kaardiga", "tšekk", "ostutšek",
            "maksin",
        ),
    ),
    _theme(
        "fitting_rooms",
        {
            "en": "Fitting rooms",
            "it": "Camerini",
            "hr": "Kabine za probu",
            "bg": "Пробни",
            "ru": "Примерочные",
            "et": "Proovikabiinid",
        },
        en=(
            "fitting room", "fitting area", "changing room", "dressing room", "try on", "tried on", "trying on",
            "cubicle", "mirror",
        ),
        it=(
            "camerin", "spogliatoi", "cabina di prova", "cabine di prova", "cabina prova", "specchi", "provarm",
            "provare i vestiti",
        ),
        hr=(
            "kabina", "kabine$", "kabini$", "kabinu", "kabinam", "za probu", "probn", "svlačionic", "isprob",
            "ogledal", "presvlač",
        ),
        bg=(
            "пробн", "пробв", "кабина", "кабини", "огледал", "съблекалн", "за проба",
        ),
        ru=(
            "примерочн", "примерк", "примерит", "примерил", "примеря", "кабинк", "зеркал", "раздевалк",
        ),
        et=(
            "proovikabiin", "kabiin", "selga proovi", "peegl", "peegel", "riietusruum", "proovimis",
        ),
    ),
    _theme(
        "returns_refunds",
        {
            "en": "Returns & refunds",
            "it": "Resi e rimborsi",
            "hr": "Povrat i zamjena robe",
            "bg": "Връщане и замяна",
            "ru": "Возврат и обмен",
            "et": "Tagastamine ja vahetus",
        },
        en=(
            "return", "refund", "exchang", "money back", "store credit", "credit note", "send back", "sent back",
            "warrant", "guarante",
        ),
        it=(
            "reso$", "resi$", "rimbors", "restitu", "sostitu", "garanzi", "cambio merce", "ho cambiato",
            "cambiare un", "soldi indietro",
        ),
        hr=(
            "povrat", "zamijen", "zamjen", "reklamacij", "refundacij", "novac natrag", "novca natrag", "jamstv",
            "garancij",
        ),
        bg=(
            "връщане", "върнат", "върнах", "възстанов", "замян", "рекламаци", "гаранци", "парите обратно",
        ),
        ru=(
            "возврат", "вернуть$", "вернула$", "вернул$", "вернули$", "обмен", "рекламаци", "гарант",
            "деньги вернули", "вернуть деньги",
        ),
        et=(
            "tagast", "raha tagasi", "vaheta", "reklamatsioon", "pretensioon", "garantii", "tagasi vii",
        ),
    ),
    _theme(
        "store_layout",
        {
            "en": "Store layout & finding products",
            "it": "Disposizione del negozio",
            "hr": "Raspored trgovine",
            "bg": "Подредба на магазина",
            "ru": "Планировка магазина",
            "et": "Poe paigutus",
        },
        en=(
            "layout", "couldn t find", "can t find", "hard to find", "easy to find", "difficult to find", "aisle",
            "signage", "signs$", "confus", "rearrang", "moved everything", "navigat", "browse", "cramped",
        ),
        it=(
            "disposizion", "orientar", "non trovav", "si trova", "corridoi", "indicazion", "cartell", "confus",
            "spostat", "organizzat", "layout",
        ),
        hr=(
            "raspored", "snalaz", "snać", "premjest", "mogla naći", "mogao naći", "se lako pronađ", "prolaz", "oznak",
            "pregledn", "pregledan", "zbunjuj", "teško naći",
        ),
        bg=(
            "подредба", "ориентир", "разместил", "не можах да намер", "трудно се намир", "се намира лесно", "пътек",
            "табел", "объркващ", "прегледен",
        ),
        ru=(
            "планировк", "ориентир", "переставил", "не нашл", "не нашел", "легко найти", "трудно найти", "проход",
            "указател", "запутан", "навигац",
        ),
        et=(
            "paigutus", "ei leidnud", "raske leida", "leitav", "ümber tõst", "vahekäig", "sildid", "viidad",
            "ülevaatlik", "orienteeru",
        ),
    ),
    _theme(
        "parking_access",
        {
            "en": "Parking & access",
            "it": "Parcheggio e accessibilità",
            "hr": "Parking i pristup",
            "bg": "Паркиране и достъп",
            "ru": "Парковка и доступность",
            "et": "Parkimine ja ligipääs",
        },
        en=(
            "parking", "park$", "parked", "car park", "wheelchair", "accessib", "step free", "public transport",
            "bus stop", "location",
        ),
        it=(
            "parchegg", "posteggi", "posizione comoda", "raggiunger", "mezzi pubblici", "autobus", "carrozzin",
            "accessib", "disabili", "barrier architetton",
        ),
        hr=(
            "parking", "parkir", "lokacij", "prilaz", "ulaz", "javni prijevoz", "autobus", "tramvaj", "invalid",
        ),
        bg=(
            "паркир", "паркинг", "паркомяст", "местоположени", "удобно място", "вход", "градски транспорт", "автобус",
            "спирк", "инвалид", "достъп",
        ),
        ru=(
            "парков", "припарков", "расположен", "добрат", "доеха", "вход$", "входа$", "входе$", "транспорт",
            "остановк", "инвалид", "пандус",
        ),
        et=(
            "parki", "parkla", "asukoht", "ligipääs", "sissepääs", "ühistransport", "bussipeatus", "ratastool",
            "kaldtee",
        ),
    ),
    _theme(
        "delivery",
        {
            "en": "Delivery & orders",
            "it": "Consegna e ordini",
            "hr": "Dostava i narudžbe",
            "bg": "Доставка и поръчки",
            "ru": "Доставка и заказы",
            "et": "Tarne ja tellimused",
        },
        en=(
            "deliver", "courier", "shipping", "shipped", "parcel", "package$", "dispatch", "tracking",
            "click and collect", "ordered", "my order",
        ),
        it=(
            "consegn", "spedizion", "spedit", "corrier", "pacco$", "pacchi$", "ho ordinato", "hanno ordinato",
            "mio ordine", "tracciament", "ritiro in negozio",
        ),
        hr=(
            "dostav", "isporu", "kurir", "paket", "pošiljk", "naruči", "narudžb", "stigl", "preuzim",
        ),
        bg=(
            "доставк", "достави", "куриер", "пратк", "пакет", "поръча", "пристигн", "еконт", "спиди",
        ),
        ru=(
            "доставк", "доставил", "доставят", "доставлен", "курьер", "посылк", "заказ", "пункт выдачи", "самовывоз",
        ),
        et=(
            "tarne", "tarnit", "kohale jõud", "kohale too", "kuller", "pakiautomaat", "saadetis", "tellis",
            "tellimus", "kättetoimet",
        ),
    ),
    _theme(
        "online_shop",
        {
            "en": "Online shop & app",
            "it": "Negozio online e app",
            "hr": "Web trgovina i aplikacija",
            "bg": "Онлайн магазин и приложение",
            "ru": "Интернет-магазин и приложение",
            "et": "E-pood ja äpp",
        },
        en=(
            "website", "web site", "webshop", "web shop", "online", "app$", "apps$", "e shop", "eshop", "internet",
            "login", "log in", "password", "site$",
        ),
        it=(
            "sito$", "sito web", "online", "app$", "applicazion", "internet", "e commerce", "ecommerce", "password",
            "login",
        ),
        hr=(
            "web", "internet", "online", "aplikacij", "app$", "stranic", "lozink", "prijava u",
        ),
        bg=(
            "сайт", "онлайн", "приложени", "интернет", "уебсайт", "парола", "профил", "регистрац",
        ),
        ru=(
            "сайт", "онлайн", "приложени", "интернет", "личн кабинет", "пароль", "аккаунт", "мобильн",
        ),
        et=(
            "e poo", "e poe", "epoo", "epoe", "veeb", "koduleh", "äpp$", "äppi", "äpis", "rakendus", "internet",
            "online", "parool", "sisselogi",
        ),
    ),
    _theme(
        "promotions",
        {
            "en": "Promotions & loyalty",
            "it": "Promozioni e fedeltà",
            "hr": "Akcije i program vjernosti",
            "bg": "Промоции и лоялност",
            "ru": "Акции и программа лояльности",
            "et": "Kampaaniad ja kliendikaart",
        },
        en=(
            "sale$", "discount", "offer", "promo", "voucher", "coupon", "loyalty", "clearance", "good deal", "deals$",
            "buy one get",
        ),
        it=(
            "saldi$", "saldo$", "sconto", "sconti", "scontat", "offert", "promozion", "volantino", "fedeltà",
            "coupon", "buono sconto",
        ),
        hr=(
            "akcij", "sniženj", "snižen", "popust", "kupon", "vjernost", "katalog", "rasprodaj", "bodov",
        ),
        bg=(
            "промоци", "намален", "отстъпк", "разпродажб", "оферт", "ваучер", "клиентск карт", "лоялн", "брошур",
            "купон",
        ),
        ru=(
            "скидк", "распродаж", "акци", "промо", "лояльн", "бонус", "купон", "уценк", "кэшбэк",
        ),
        et=(
            "allahindl", "soodus", "kliendikaart", "pakkumi", "kampaania", "kupong", "boonus", "püsiklient",
            "reklaam",
        ),
    ),
    _theme(
        "product_range",
        {
            "en": "Product range & choice",
            "it": "Assortimento",
            "hr": "Izbor proizvoda",
            "bg": "Асортимент",
            "ru": "Ассортимент",
            "et": "Tootevalik",
        },
        en=(
            "selection", "choice", "range", "variety", "assortment", "collection", "brand",
        ),
        it=(
            "scelta", "assortiment", "variet", "collezion", "gamma", "marchi", "selezion", "ben fornit",
        ),
        hr=(
            "izbor", "asortiman", "ponud", "kolekcij", "odabir", "raznolik", "brend",
        ),
        bg=(
            "избор", "асортимент", "колекци", "разнообраз", "бранд", "гама",
        ),
        ru=(
            "выбор", "ассортимент", "коллекци", "разнообраз", "бренд", "линейк",
        ),
        et=(
            "valik", "sortiment", "kollektsioon", "mitmekesi", "kaubamärk", "bränd", "tootevalik",
        ),
    ),
    _theme(
        "atmosphere",
        {
            "en": "Store atmosphere",
            "it": "Atmosfera del negozio",
            "hr": "Atmosfera u trgovini",
            "bg": "Атмосфера в магазина",
            "ru": "Атмосфера в магазине",
            "et": "Poe õhkkond",
        },
        en=(
            "music", "atmospher", "ambience", "ambiance", "lighting", "noisy", "loud", "cosy", "cozy", "relax",
            "air con", "too hot", "too cold",
        ),
        it=(
            "musica", "atmosfer", "ambient", "luce$", "luci$", "illumina", "luminos", "rumor", "aria condizion",
            "troppo caldo", "troppo fredd",
        ),
        hr=(
            "glazb", "atmosfer", "ambijent", "svjetl", "svijetl", "osvjetljenj", "buka$", "buke$", "klima", "vruć",
            "hladn",
        ),
        bg=(
            "музик", "атмосфер", "обстановк", "осветлени", "светъл", "шум", "климатик", "уют", "горещ", "студено",
        ),
        ru=(
            "музык", "атмосфер", "обстановк", "освещени", "свет$", "светл", "шум", "душн", "кондиционер", "уют",
            "громк",
        ),
        et=(
            "muusik", "atmosfäär", "õhkkond", "valgus", "lärm", "müra", "kliima", "palav", "hubane", "vali$",
        ),
    ),
)
# fmt: on


# --------------------------------------------------------------------------------------------------------------
# Stop words (used by the discovery of new themes and by the staff matcher)
# --------------------------------------------------------------------------------------------------------------


# Small stop-word lists: function words plus words that are in nearly every retail comment ("shop", "staff",
# "good") and so never characterise a theme. Compared with the normalised word (lower case, ``ё`` → ``е``).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        """a about above after again all also am an and any are around as at be because been before being both
        but by can could couldn did didn do does doesn don down each even ever every for from get got had has
        have he her here him his how i if in into is isn it its just me more most much my no nor not now of off
        on once one only or other our out over own same she should so some still such than that the their them
        then there these they this those through to too up us very was wasn way we were weren what when where
        which while who why will with won would you your ll ve re s t d m really quite bit lot always never
        again shop shops store stores staff service good great nice bad time visit today thanks thank please
        everything nothing something anything people customer customers back go went come came like love well
        make made every day think since"""
    ),
    "it": _words(
        """a ad al alla alle allo ai agli anche ancora avere aveva avevo c che chi ci come con cosa così da dal
        dalla dai dei del della delle dello degli di dopo e è ed era essere fa fare già gli ha hanno ho i il in io
        l la le lei li lo loro lui ma mai me mi mia mio molto ne nel nella nei nelle nessuno niente no noi non
        nulla o ogni per perché più poi poco po proprio qua quale quando quanto quella quelle quello questa
        questo qui se sempre si sia sono sta stata stato su sul sulla tra tu tutti tutto tutta un una uno vi volta
        davvero dell all dall nell sull quell negozio negozi personale bene buono buona ottimo grazie servizio
        cliente clienti oggi cose ogni volte fatto vostro vostra vostri vostre nostro nostra"""
    ),
    "hr": _words(
        """a ali bi bih bio bila bilo bili da do dok i ih ili iz ja je jer joj još ju k kad kada kako koja koje
        koji kojeg koju li me mi mene moj moja moje na nam nas ne nego neki nije nisam nismo niti nitko ništa o
        od ovaj ova ovo pa po pod pri s sa sam samo se si sve svi su ta taj tako te ti to tu u uz uvijek već vi
        vas za zbog što šta će ću ćemo jako baš malo puno stvarno vrlo opet onda sada sad kao kod nakon prije
        biti ima imam nema imati trgovina trgovini trgovinu trgovine osoblje dobro dobra dobar hvala usluga
        kupci danas super odlično vaš vaša vaše vašu naš naša naše"""
    ),
    "bg": _words(
        """а аз без би бил била било били бях беше бяха в във вие все вече го да дали до докато дори е за и или
        им има й как като какво когато които който която което къде ли ми много може на над не него нея нещо ни
        нищо но нас от още по под при пак с са се си сме след само сега съм там те то това този тази тези той тя
        у че чак ще я ние ти мен мога нямаше няма винаги никога просто доста малко наистина всичко един една
        едно магазин магазина магазинът персонал персоналът добре добро добър хубаво благодаря обслужване днес
        клиенти ваш ваша ваше наш наша наше"""
    ),
    "ru": _words(
        """а без бы был была было были быть в во вот все всего вы где да даже для до его ее если есть еще же за
        и из или им их к как когда кто ли мне мой моя мы на над не него нее нет ни но ну о об он она они оно от
        очень по под при с со так там те то тоже только ты у уже что чтобы это этот эта эти я меня вас нам нас
        сам сама просто совсем опять снова всегда никогда сегодня раз можно нужно надо будет который которая
        которые магазин магазине магазина персонал хорошо хороший спасибо обслуживание покупатели после
        перед ваш ваша ваше наш наша наше"""
    ),
    "et": _words(
        """aga ainult alati all et ei eks enam ka kas kes kus kui kuid mida mis mu mul mulle minu ma mina me meie
        nad nagu nii no ning nüüd oli olid olen on ole olnud pole polnud sa sina see seda selle sest siin siis ta
        tema teie te täna ja juba jälle ju veel väga või üle ühe üks ikka isegi kõik kõike mitte midagi keegi
        kogu natuke veidi üsna lihtsalt tõesti päris sai saab läks tuli pood poes poe poodi personal hea head
        aitäh teenindus kliendid"""
    ),
}
