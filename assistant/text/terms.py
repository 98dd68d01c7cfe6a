"""Word-level helpers shared by the lexical index and the answerer, so both read words alike."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from Stemmer import Stemmer

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Capital and small letters as regular-expression classes, beyond ASCII ("Żelazowa Wola", "Édouard Philippe",
# "Chloé Zhao"): Python's re has no \p{Lu}. Latin, Greek and Cyrillic.
_LETTERS = [chr(code) for code in range(0xC0, 0x530) if chr(code).isalpha()]
UPPER = "A-Z" + "".join(letter for letter in _LETTERS if letter.isupper())
LOWER = "a-z" + "".join(letter for letter in _LETTERS if letter.islower())

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves also said says say did does
    according""".split()
)


_STEMMERS = threading.local()  # PyStemmer's objects must not be shared between threads


def stem(word: str) -> str:
    """Snowball's English stemmer: 'confirmed' and 'confirm', 'regulated' and 'regulation' meet."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = Stemmer("english")
    return stemmer.stemWord(word)


def fold(word: str) -> str:
    """Lower case without accents: "Beyoncé" and "Beyonce" are one word."""
    word = word.lower().replace("’", "'")
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [fold(w) for w in WORD.findall(text)]


@lru_cache(maxsize=65_536)
def _term(word: str) -> str | None:
    """A word as found in text -> its stemmed content word, or None for a stopword. Cached: the same
    words recur in every passage and question, and folding and stemming were most of answering a question."""
    word = fold(word).removesuffix("'s")
    return None if word in STOPWORDS else stem(word)


def terms(text: str) -> list[str]:
    """Content words, stemmed: what BM25 indexes and what lexical evidence counts."""
    return [term for word in WORD.findall(text) if (term := _term(word)) is not None]


ROOT_LETTERS = 5  # words that share their first five letters share a root: "yards" and "yardage", "season(s)"


def root(word: str) -> str:
    return word[:ROOT_LETTERS]


def same_root(word: str, other: str) -> bool:
    """"fumbles" and "fumble", "villages" and "villagers": near enough to be the same noun."""
    return root(word) == root(other)


SHARED_STEM = 6  # a stem of at least this many letters that begins another is the same word


def shares_stem(term: str, other: str) -> bool:
    """"retali" (retaliation) and "retaliatori" (retaliatory): Snowball leaves some derived words apart; a stem
    of SHARED_STEM letters or more that begins the other is the same word."""
    short, long = (term, other) if len(term) <= len(other) else (other, term)
    return len(short) >= SHARED_STEM and short != long and long.startswith(short)


def stem_variants(wanted: Iterable[str], found: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each wanted term that ``found`` lacks, the found terms that share its stem (only those with any)."""
    found = frozenset(found)
    out: dict[str, frozenset[str]] = {}
    for term in set(wanted) - found:
        if len(term) >= SHARED_STEM:
            forms = frozenset(f for f in found if shares_stem(term, f))
            if forms:
                out[term] = forms
    return out


def looks_plural(word: str) -> bool:
    """A regular English plural: longer than three letters, ending in "s" but not "ss" ("vehicles", not "gas")."""
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")
