"""Read a question: what kind of thing it asks for, and which of its words must be found in an answer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..records.dates import DatedWords
from ..records.query import Kind, Question
from ..text.terms import LOWER, UPPER, WORD, fold, looks_plural, terms
from ..text.time_words import find_mentions
from .kinds import kind_of_noun

AUXILIARIES = frozenset("is are was were be been do does did has have had can could will would shall should "
                        "may might must".split())
DETERMINERS = frozenset("the a an this that these those its their his her".split())
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
WHO_IS_NAME = re.compile(rf"^\s*(?i:who\s+(?:is|was|are|were))\s+(?:[{UPPER}][\w'’.-]*\s*)+\??\s*$")
ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
CAPITALISED_RUN = re.compile(rf"\b[{UPPER}][{LOWER}]+(?:\s+[{UPPER}][{LOWER}]+)+")
WH_WORDS = ("who", "whom", "whose", "when", "where", "which", "what", "how", "why")
# Words a question may start with in capitals that are no part of a name's initials ("What Denver player")
LEADING_WORDS = frozenset(WH_WORDS) | AUXILIARIES | DETERMINERS | frozenset("in on at of for to by from with".split())


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
    plural = next((w for w in phrase if w not in names and (w in IRREGULAR_PLURALS or looks_plural(w))), None)
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
        kind = kind_of_noun(noun or "")
        return (kind, noun) if kind else (None, None)
    if rest[0] in AUXILIARIES or rest[0] in ("kind", "type", "sort"):
        return None, None  # "what did he say", "what kind of missiles": a description, not a name
    noun = _noun_after([w for w in rest if w not in DETERMINERS], names)
    return (kind_of_noun(noun or "") or Kind.NAME), noun


def analyse(text: str) -> Question:
    """The question's words read once: the kind asked, its names, numbers and degree words."""
    acronyms, initials = frozenset(ACRONYM.findall(text)), _initials(text)
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
    counted = head if kind is Kind.NUMBER and HOW_MANY.search(text) and head not in HOW_QUANTITY else None
    return Question(text, kind, head, tuple(dict.fromkeys(terms(text))), tuple(dict.fromkeys(names)), numbers,
                    degree, negated, frozenset(words), acronyms=acronyms, initials=initials,
                    measured=kind is Kind.NUMBER and head in MEASURED,
                    counts_items=kind is Kind.NUMBER and HOW_MANY_ITEMS.search(text) is not None, counted=counted,
                    verb=_doer_of(words) if kind is Kind.PERSON else None)


def _doer_of(words: list[str]) -> str | None:
    """"Who fined the company?": "fined", the verb whose doer is asked; None for "Who did they fine?" (its
    object) or "Who is…"."""
    if len(words) < 2 or words[0] != "who" or words[1] in AUXILIARIES or not terms(words[1]):
        return None
    return words[1]


def _initials(text: str) -> dict[str, str]:
    """The initials of a text's runs of capitalised words, with the words ("MVP": "Most Valuable Player", and
    "MV", "VP"): an answer that is one of them only repeats the question, a sentence that says one says them."""
    out: dict[str, str] = {}
    for run in CAPITALISED_RUN.findall(text):
        words = run.split()
        while words and words[0].lower() in LEADING_WORDS:  # "What Denver player": not a name's initial
            words = words[1:]
        for i in range(len(words)):
            for j in range(i + 2, len(words) + 1):
                out.setdefault("".join(w[0] for w in words[i:j]), " ".join(words[i:j]))
    return out


TIMELINE_QUESTION = re.compile(
    r"^\s*(?:how\s+(?:did|has|have|had)\s+(?P<develop>.+?)\s+(?:develop|developed|unfold|unfolded|evolve|evolved|"
    r"progress|progressed)\b[^?.!]*|(?:(?:give|show)\s+me\s+)?(?:an?\s+|the\s+)?timeline\s+(?:of|for)\s+"
    r"(?P<timeline>.+?))\s*[?.!]*\s*$", re.IGNORECASE)
FOLLOW_ON = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:what\s+(?:happened|came)\s+|how\s+did\s+it\s+(?:go\s+on|continue)\s*)?"
    r"(?:(?P<next>next|then|after\s+that|afterwards|later|since\s+then)|(?P<dated>(?:since|after|before|in|on|"
    r"during|last|this)\s+[^?.!]+))?\s*[?.!]*\s*$", re.IGNORECASE)


def timeline_topic(question: str, mentions: Sequence[DatedWords]) -> str | None:
    """The topic of a question that asks how something developed ("How did X develop?", "Timeline of X"),
    without its time words (``mentions``, found in the question): "last week" narrows the dates, not the topic."""
    match = TIMELINE_QUESTION.match(question)
    if not match:
        return None
    group = "develop" if match.group("develop") else "timeline"
    start, end = match.span(group)
    topic = question[start:end]
    for mention in reversed(mentions):
        if start <= mention.start and mention.end <= end:
            topic = topic[:mention.start - start] + topic[mention.end - start:]
    return " ".join(topic.split()) or None


def asks_what_came_next(question: str) -> bool:
    """"What happened next?", "And then?", "After that?": a follow-up that asks for the events after those shown."""
    match = FOLLOW_ON.match(question)
    return bool(match and match.group("next"))


def follow_on_topic(question: str, mentions: Sequence[DatedWords], history: Sequence[str],
                    reference_day: date) -> str | None:
    """The timeline a short follow-up continues: after "How did X develop?", "And since Friday?" or "What
    happened next?" is X's timeline again (its own time words narrow the dates)."""
    if not history or len(question.split()) > 8:
        return None
    previous = timeline_topic(history[-1], find_mentions(history[-1], reference_day))
    if previous is None:
        return None
    match = FOLLOW_ON.match(question)
    if not match or not match.group(0).strip(" ?.!"):
        return None
    if match.group("dated") and not mentions:
        return None  # "In what year?", "On which bridge?": a question of its own
    return previous
