"""Read a question: what kind of thing it asks for, and which of its words must be found in an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from ..text.terms import WORD, fold, terms

AUXILIARIES = frozenset("is are was were be been do does did has have had can could will would shall should "
                        "may might must".split())
DETERMINERS = frozenset("the a an this that these those its their his her".split())
# The noun after "what"/"which" names the kind of answer asked for ("what year", "which city"); first match wins.
NOUNS_OF_KIND = {kind: frozenset(nouns.split()) for kind, nouns in (
    ("date", "year years date day days month months century centuries decade decades time era season week "
             "weekday period"),
    ("number", "number numbers percentage percent amount population size length height age total score cost "
               "price rate distance depth width area-size count sum share toll death deaths tally turnout "
               "casualties fatalities injuries victims"),
    ("place", "city cities country countries state states place places location locations province provinces "
              "region regions town towns village villages continent county counties area nation nations island "
              "islands capital venue stadium street district neighborhood neighbourhood territory border site"),
    ("person", "person people man men woman women player players president leader leaders coach spokesperson "
               "spokesman spokeswoman official officials author expert analyst minister king queen emperor "
               "director founder chief owner member members officer singer actor writer scientist"),
)}
COPULAS = frozenset("is are was were".split())
HOW_MANY = re.compile(r"\bhow\s+(?:many|much)\b", re.IGNORECASE)
HOW_MANY_ITEMS = re.compile(r"\bhow\s+many\b", re.IGNORECASE)  # things counted, not an amount measured
IRREGULAR_PLURALS = frozenset("people men women children persons police staff cattle sheep fish".split())
STOP_COUNTED = frozenset("of in on at to for from by with did does do".split())
ADJECTIVES = frozenset("other another major main new old same former current original official".split())
HOW_QUANTITY = frozenset("many much long old far tall big large high wide deep heavy fast".split())
MEASURED = frozenset("long far tall high wide deep heavy fast".split())  # "how long is it": 1,230 km, not 3
NEGATIONS = frozenset("not never no nor none neither without n't cannot".split())
DEGREE = re.compile(r"^(?:most|least|more|less|fewer|first|last|only|\w{3,}est|larger|smaller|bigger|longer|shorter|"
                    r"higher|lower|older|newer|earlier|greater|wider|deeper|faster|slower|heavier|better|worse)$")
NOT_DEGREE = frozenset("west east interest forest rest test best-known honest modest protest request "
                       "contest guest chest nest pest suggest digest arrest manifest harvest invest".split())
WHO_IS_NAME = re.compile(r"^\s*(?i:who\s+(?:is|was|are|were))\s+(?:[A-Z][\w'’.-]*\s*)+\??\s*$")
ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
WH_WORDS = ("who", "whom", "whose", "when", "where", "which", "what", "how", "why")
# Words a question may start with in capitals that are no part of a name's initials ("What Denver player")
LEADING_WORDS = frozenset(WH_WORDS) | AUXILIARIES | DETERMINERS | frozenset("in on at of for to by from with".split())


class Kind(StrEnum):
    """The kind of span a question asks for; a short answer is a span of this kind."""

    PERSON = "person"
    DATE = "date"
    NUMBER = "number"
    PLACE = "place"
    NAME = "name"  # which/what + noun: a proper name of that thing


@dataclass(frozen=True)
class Question:
    """A question as the answerer reads it."""

    text: str
    kind: Kind | None  # None: the question asks for an explanation, not a thing
    head: str | None  # the noun after which/what ("venue", "year"), when there is one
    terms: tuple[str, ...]  # content words, stemmed
    names: tuple[str, ...]  # stemmed terms of capitalised words past the first: names the answer must share
    numbers: tuple[str, ...]  # numbers the question states
    degree: tuple[str, ...]  # superlatives and comparatives ("largest", "more"): the answer must say them too
    negated: bool
    words: frozenset[str]  # every word, folded: a span made only of these is no answer

    @cached_property
    def acronyms(self) -> frozenset[str]:
        """"MVP", "NFL": an answer that spells one out ("Most Valuable Player") only repeats the question."""
        return frozenset(ACRONYM.findall(self.text))

    @cached_property
    def initials(self) -> dict[str, str]:
        """The initials of its runs of capitalised words, with the words ("MVP": "Most Valuable Player", and
        "MV", "VP"): an answer that is one of them only repeats the question, a sentence that says one says them."""
        out: dict[str, str] = {}
        for run in CAPITALISED_RUN.findall(self.text):
            words = run.split()
            while words and words[0].lower() in LEADING_WORDS:  # "What Denver player": not a name's initial
                words = words[1:]
            for i in range(len(words)):
                for j in range(i + 2, len(words) + 1):
                    out.setdefault("".join(w[0] for w in words[i:j]), " ".join(words[i:j]))
        return out

    @property
    def measured(self) -> bool:
        """"How long/far/high/wide/…": the answer is a number with its unit ("1,230 km", "three hours")."""
        return self.kind is Kind.NUMBER and self.head in MEASURED

    @property
    def counts_items(self) -> bool:
        """"How many": a number of things ("40 villages"), where "how much water" is an amount ("300 m³")."""
        return self.kind is Kind.NUMBER and HOW_MANY_ITEMS.search(self.text) is not None

    @property
    def counted(self) -> str | None:
        """The noun "how many/much" counts ("people"), when there is one."""
        asks_count = self.kind is Kind.NUMBER and HOW_MANY.search(self.text) is not None
        return self.head if asks_count and self.head not in HOW_QUANTITY else None


def _kind_of(noun: str) -> Kind | None:
    return next((Kind(kind) for kind, nouns in NOUNS_OF_KIND.items() if noun in nouns), None)


def _noun_after(words: list[str], names: frozenset[str] = frozenset()) -> str | None:
    """The noun of "which/what [other|largest|NFL|...] NOUN": the first word, or the second after an adjective
    or a name ("which NFL team": a team)."""
    if not words:
        return None
    qualified = words[0] in ADJECTIVES or DEGREE.match(words[0]) or words[0] in names
    if len(words) > 1 and qualified and words[1] not in AUXILIARIES and not words[1].endswith("ed"):
        return words[1]
    return words[0]


def counted_noun(words: list[str], names: frozenset[str] = frozenset()) -> str | None:
    """What "how many/much" counts: the first plural of the words after it that is not a name ("U.S. service
    members were" -> "members", "Panthers players" -> "players"), else a first word that is not a verb; none
    past a preposition."""
    phrase = []
    for word in words:
        if word in AUXILIARIES or word in STOP_COUNTED or word.endswith("ed"):
            break
        phrase.append(word)
    plural = next((w for w in phrase if w not in names and (w in IRREGULAR_PLURALS or (
        len(w) > 3 and w.endswith("s") and not w.endswith("ss")))), None)
    return plural or next((w for w in phrase[:1] if len(w) > 2), None)


def asked_kind(words: list[str], names: frozenset[str] = frozenset()) -> tuple[Kind | None, str | None]:
    """The kind of answer asked for, from the first wh-word and the words after it (``names``: the folded
    words written with a capital, which qualify the noun after them)."""
    index = next((i for i, w in enumerate(words) if w in WH_WORDS), None)
    if index is None:
        return None, None
    wh, rest = words[index], words[index + 1:]
    if wh in ("who", "whom", "whose"):
        return Kind.PERSON, None
    if wh == "when":
        return Kind.DATE, None
    if wh == "where":
        return Kind.PLACE, None
    if wh == "how":
        if not rest or rest[0] not in HOW_QUANTITY:
            return None, None
        return Kind.NUMBER, (counted_noun(rest[1:5], names) if rest[0] in ("many", "much") else None) or rest[0]
    if wh not in ("which", "what") or not rest:
        return None, None
    if rest[0] in COPULAS:  # "what is the name of", "what was the population of"
        noun = _noun_after([w for w in rest[1:] if w not in DETERMINERS])
        if noun == "name":
            return Kind.NAME, noun
        kind = _kind_of(noun or "")
        return (kind, noun) if kind else (None, None)
    if rest[0] in AUXILIARIES or rest[0] in ("kind", "type", "sort"):
        return None, None  # "what did he say", "what kind of missiles": a description, not a name
    noun = _noun_after([w for w in rest if w not in DETERMINERS], names)
    return (_kind_of(noun or "") or Kind.NAME), noun


def analyse(text: str) -> Question:
    tokens = WORD.findall(text)
    words = [fold(t) for t in tokens]
    capitalised = frozenset(w for i, (t, w) in enumerate(zip(tokens, words)) if i > 0 and t[:1].isupper())
    kind, head = asked_kind(words, capitalised)
    if kind is Kind.PERSON and WHO_IS_NAME.match(text):
        kind = None  # "Who is Ahmed Al-Faris?" asks for a description, not a name
    names = []
    for i, token in enumerate(tokens):
        if i > 0 and (token[:1].isupper() or token.isupper()) and words[i] not in WH_WORDS:
            names += terms(token)
    numbers = tuple(t for t in words if any(c.isdigit() for c in t))
    degree = tuple(sorted({w for w in words if DEGREE.match(w) and w not in NOT_DEGREE}))
    negated = any(w in NEGATIONS or w.endswith("n't") for w in words)
    return Question(text, kind, head, tuple(dict.fromkeys(terms(text))), tuple(dict.fromkeys(names)), numbers,
                    degree, negated, frozenset(words))
