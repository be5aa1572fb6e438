"""Text analysis per language, mirroring Elasticsearch's language analyzers.

Both backends must agree on what a word is: the embedded index stores the
terms produced here, and the Elasticsearch mapping (search/backends/
elasticsearch.py) configures the greek, italian, arabic and english analyzers
that do the same steps on the server. Each analyzer:

1. folds case and Unicode compatibility forms (NFKC, casefold);
2. splits into words (letters and digits; apostrophes split Italian elisions);
3. normalises script: Greek accents and final sigma; Arabic tashkeel, tatweel,
   alef/hamza variants, taa marbuta and alef maqsura;
4. drops stop words;
5. stems with Snowball (PyStemmer); for Arabic the definite article, attached
   conjunctions and prepositions, and common plural suffixes go first, so that
   المنسوجات, منسوجات and منسوج meet.

What stemming cannot join (Arabic broken plurals such as قماش / أقمشة, Greek
derivations such as ανακυκλωμένο / ανακύκλωση, a Latin-script place name in
Arabic or Greek text) is joined by a curated synonym list per language,
search/synonyms/<language>.txt: a query word of a group also matches the
group's other words. The embedded index expands query words with
`synonym_terms`; Elasticsearch gets the same lines as a synonym filter in its
search analyzers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

SNOWBALL = {"en": "english", "el": "greek", "it": "italian", "ar": "arabic"}

WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Written as people type them; folded below like every indexed word.
_STOP_WORDS = {
    "en": "a an and are as at be but by for from has have in into is it its of on or that the their there these "
    "they this to was were which will with",
    "el": "ο η το οι τα του της των τον την τους τις και κι ή να θα με σε στο στη στην στον στα στους στις για "
    "από ως που πως ότι είναι ένα μια μία ενός μιας δεν μη μην αλλά επί προς κατά μετά",
    "it": "il lo la i gli le un uno una di a da in con su per tra fra e ed o che è del dello della dei degli "
    "delle al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul "
    "sullo sulla sui sugli sulle come non più anche ma se",
    "ar": "في من على إلى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم كان كانت أن إن لا ما لم لن قد كل "
    "بين عند أو ثم حتى",
}

ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
ARABIC_SUFFIXES = ("ات", "ون", "ين", "ان", "ها", "يه")
ELIDED = re.compile(r"\b\w{1,5}['’](?=\w)")
ITALIAN_ELISION = re.compile(r"^(?:l|un|dell|all|dall|nell|sull|quest|quell|c|d|s|m|t|v|n)['’]", re.IGNORECASE)


# Arabic letter variants fold to their plain forms, tatweel disappears, and
# Greek final sigma becomes sigma; combining marks (accents, tonos, dialytika,
# Arabic tashkeel) are removed after decomposition.
_LETTER_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}
_LETTER_FOLDS |= {"ς": "σ", "\u0640": None}
_COMBINING = re.compile(
    "[" + "".join(chr(code) for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))) + "]"
)
_LETTER = re.compile("[" + "".join(_LETTER_FOLDS) + "]")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of any text, for every language."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    return _LETTER.sub(lambda match: _LETTER_FOLDS[match.group()] or "", unicodedata.normalize("NFC", decomposed))


STOP_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(fold(word) for word in text.split()) for language, text in _STOP_WORDS.items()
}


def words(text: str) -> list[str]:
    """The folded words of `text`, in order, before stop words and stemming."""
    text = text or ""
    if "'" in text or "’" in text:
        # Italian elisions (l'economia, dell'arte) keep only the noun.
        text = ELIDED.sub(lambda match: " " if ITALIAN_ELISION.match(match.group(0)) else match.group(0), text)
    return WORD.findall(fold(text))


@lru_cache(maxsize=100_000)
def _strip_arabic_affixes(word: str) -> str:
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("ه") and len(word) >= 4:  # taa marbuta, folded to ه
        word = word[:-1]
    return word


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return Stemmer.Stemmer(SNOWBALL.get(language, "english"))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The index term for one folded word in `language`."""
    if language == "ar":
        word = _strip_arabic_affixes(word)
    return _stemmer(language).stemWord(word)


def stem_words(tokens: list[str], language: str) -> list[str]:
    """Index terms of already folded words, stop words removed (the fast path for indexing)."""
    stop_words = STOP_WORDS.get(language, frozenset())
    kept = [word for word in tokens if word not in stop_words]
    if language == "ar":
        kept = [_strip_arabic_affixes(word) for word in kept]
    return _stemmer(language).stemWords(kept)


def analyze(text: str, language: str) -> list[str]:
    """Index terms of `text` in `language`: folded, stop words removed, stemmed."""
    return stem_words(words(text), language)


SYNONYMS_DIRECTORY = Path(__file__).resolve().parent / "synonyms"


@cache
def synonym_lines(language: str) -> tuple[str, ...]:
    """The synonym groups of `language`, one line each ("قماش, أقمشة"), as written in its file.

    Every word of a line is one word: both backends expand word by word.
    """
    path = SYNONYMS_DIRECTORY / f"{language}.txt"
    if not path.exists():
        return ()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


@cache
def _synonym_groups(language: str) -> dict[str, tuple[str, ...]]:
    groups: dict[str, set[str]] = {}
    for line in synonym_lines(language):
        terms = {term for word in line.split(",") for term in analyze(word, language)}
        joined = set(terms).union(*(groups.get(term, set()) for term in terms))
        for term in joined:
            groups[term] = joined
    return {term: tuple(sorted(group)) for term, group in groups.items()}


def synonym_terms(term: str, language: str) -> tuple[str, ...]:
    """The index terms an analysed query term matches in `language`: itself and its synonyms'."""
    return _synonym_groups(language).get(term, (term,))
