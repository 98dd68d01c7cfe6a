"""Which spans of the asked kind can answer, by the role they play in the sentence.

"Who fined the company?" asks for the one who fined, not the one fined: a name before the verb, or
after "by" in a passive. "Where?" asks for a place the sentence puts something in, at or from, or one
someone goes to; a name that does things ("Sean Parnell confirmed") is not where. When a sentence has
spans of the kind but none in the role, there is no short answer rather than a wrong one.
"""

from __future__ import annotations

import re

from ..records.query import Question
from ..text.lexicon import GOING_VERBS, PLACE_NOUNS
from ..text.terms import WORD, terms
from .spans import Candidate

AGENT = re.compile(r"\bby\b", re.IGNORECASE)
AGENT_WORDS = 6  # "was led by the aged Prince Adam Czartoryski": "by" this near the verb names its doer


def doers(question: Question, sentence: str, spans: list[Candidate]) -> list[Candidate]:
    """For "who <verb>…", the spans that can have done it when the sentence says the verb: those before it
    (its subject) and the one after "by" (a passive's doer). Any span, when the question asks no verb or the
    sentence does not say it as a verb ("starring Hugh Grant" and "its compiler, Krystyna Kobylańska" name
    their doer after the word). On squad2-train, 82 of the 102 "who <verb>" answers whose sentence says the
    verb are one of these (57 before it, 25 after "by")."""
    if question.verb is None:
        return spans
    stem = terms(question.verb)[0]
    said = [m for m in WORD.finditer(sentence) if _as_verb(m.group().lower(), question.verb, stem)]
    if not said:
        return spans
    return [c for c in spans if any(c.end <= m.start() or _agent_of(sentence, m, c) for m in said)]


def _as_verb(word: str, verb: str, stem: str) -> bool:
    return word == verb or (word.endswith(("ed", "s")) and stem in terms(word))


def _agent_of(sentence: str, verb: re.Match, candidate: Candidate) -> bool:
    between = sentence[verb.end():candidate.start]
    by = AGENT.search(between) if candidate.start >= verb.end() else None
    return by is not None and len(WORD.findall(between[by.end():])) <= AGENT_WORDS


GOING = re.compile(rf"\b(?:{'|'.join(sorted(GOING_VERBS))})\s+(?:the\s+)?$", re.IGNORECASE)
BELONGING = re.compile(r"(\w*)\s+of\s+(?:the\s+)?$", re.IGNORECASE)  # "the champion of the National Football League"


def located(question: Question, sentence: str, spans: list[Candidate]) -> list[Candidate]:
    """For "where…" (no noun: "which city" names its own kind), the places after "in", "at", "from"… or
    after a verb of going ("visited Nanjing", "left for London"). On squad2-train 106 of the 129
    capitalised "where" answers follow one of the first, and several of the rest one of the second. A name after
    "of" is where only after a kind of place ("the city of Palmyra"): of the learned answerer's short answers to
    the 205 answerable "where" questions there, 15 followed another noun's "of" and 1 was right (EM 36.1% →
    37.6% without them; benchmarks/DECISIONS.md)."""
    if question.head is not None:
        return spans
    return [c for c in spans if (c.locative and not _belongs(sentence[:c.start])) or GOING.search(sentence[:c.start])]


def _belongs(before: str) -> bool:
    """A name after "of" belongs to the noun before it ("the champion of the National Football League"), unless
    that noun is a kind of place ("the ancient city of Palmyra")."""
    found = BELONGING.search(before)
    return found is not None and found.group(1).lower() not in PLACE_NOUNS


def any_span(question: Question, sentence: str, spans: list[Candidate]) -> list[Candidate]:
    return spans
