"""The short answer: of the cited sentences' spans of the asked kind, the one that answers.

A span answers when it sits next to the question's words (and names its head noun: "which venue"), unless
it is made of them; a place after "in" or "at" answers "where", a name of two words "who", and neither an
event, a prize nor a place answers "who". Then it is cut to what was asked: the year of a date for "what
year", the number without the noun "how many" counts, and every name of a list for "who were". Where the
rules give none ("what" asks for no kind they know), the trained span reader may (reader.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from ..records.answer import Citation, ShortAnswer
from ..text.terms import WORD, looks_plural, root, same_root, terms
from .evidence import Candidate, Sentence
from .kinds import KINDS
from .question import Kind, Question
from .spans import year_of
from .weights import WEIGHTS, Weights

if TYPE_CHECKING:
    from .reader import SpanReader


class Spanned(Protocol):
    """What :func:`best_span` reads of a sentence: its text and its spans of the asked kind."""

    @property
    def text(self) -> str: ...
    @property
    def spans(self) -> list[Candidate]: ...


SEVERAL = re.compile(r"\b(?:who\s+(?:were|are)|two|three|four|both)\b", re.IGNORECASE)  # asks for a list
LISTED = re.compile(r"\s*(?:,|,?\s+and|&)\s+")  # what joins the names of a list


def short_answer(question: Question, chosen: list[Sentence], citations: list[Citation],
                 weights: Weights = WEIGHTS, reader: SpanReader | None = None) -> ShortAnswer | None:
    """The span of the asked kind in the first cited sentence that has one, nearest the question's words;
    where the rules give none, the ``reader``'s span of the first cited sentence, when it is sure enough."""
    found = _of_the_asked_kind(question, chosen, citations, weights)
    if found is not None or reader is None or not chosen:
        return found
    read = reader.read(question.text, chosen[0])
    if read is None:
        return None
    start = chosen[0].span.start + read.start
    return ShortAnswer(chosen[0].text[read.start:read.end], start, chosen[0].span.start + read.end, citations[0].n)


def _of_the_asked_kind(question: Question, chosen: list[Sentence], citations: list[Citation],
                       weights: Weights) -> ShortAnswer | None:
    """The rules' short answer: None when no kind is asked, or the first cited sentence with spans of it has
    none that answers."""
    if question.kind is None:
        return None
    for sentence, citation in zip(chosen, citations):
        if sentence.spans:
            best = best_span(question, sentence, weights)
            if best is None:
                return None
            start = sentence.span.start + best.start
            return ShortAnswer(best.text, start, start + len(best.text), citation.n)
    return None


def best_span(question: Question, sentence: Spanned, weights: Weights = WEIGHTS) -> Candidate | None:
    """Of a sentence's spans of the asked kind, the one that answers: nearest the question's words (only its
    year, when the question asks for one; without the noun it counts, when it counts one). None when the
    sentence says the asked verb but none of its spans did it ("Who fined the company?": "regulators fined
    it"; the company's chief executive is not who fined it)."""
    spans = KINDS[question.kind].fitting(question, sentence.text, sentence.spans) if question.kind else []
    if not spans:
        return None
    best = max(spans, key=lambda c: _closeness(question, sentence.text, c, weights))
    if question.kind is Kind.DATE and question.head == "year":
        return year_of(best)
    if question.counted:
        return _without_counted(best, question.counted)
    return _with_the_others(sentence, best) if _asks_for_several(question) else best


def _asks_for_several(question: Question) -> bool:
    """"Who were the announcers?", "which two players": the answer may be a list of names."""
    several = question.kind is not None and KINDS[question.kind].several
    return several and (looks_plural(question.head or "") or bool(SEVERAL.search(question.text)))


def _with_the_others(sentence: Spanned, best: Candidate) -> Candidate:
    """The best span with the spans listed beside it: "Tracy Wolfson and Evan Washburn"."""
    spans = sorted(sentence.spans, key=lambda c: c.start)
    first = last = spans.index(best)
    while first > 0 and LISTED.fullmatch(sentence.text[spans[first - 1].end:spans[first].start]):
        first -= 1
    while last + 1 < len(spans) and LISTED.fullmatch(sentence.text[spans[last].end:spans[last + 1].start]):
        last += 1
    if first == last:
        return best
    start, end = spans[first].start, spans[last].end
    return Candidate(start, end, sentence.text[start:end], best.kind, spans[first].locative)


def _without_counted(candidate: Candidate, counted: str) -> Candidate:
    """"How many yards…?" "3,837", not "3,837 yards": the question names what it counts."""
    number, _, unit = candidate.text.rpartition(" ")
    if not number or not same_root(unit.lower(), counted):
        return candidate
    return Candidate(candidate.start, candidate.start + len(number), number, candidate.kind, candidate.locative)


def _closeness(question: Question, sentence: str, candidate: Candidate, weights: Weights) -> float:
    """Candidates next to the question's words (and its head noun) answer it, unless made of them; others are
    bystanders. A candidate made of the question's own words sits next to them, so it reads as close ("Denver's"
    for "Who kicked for Denver?"): its share of them counts against it."""
    tokens = [(m.start(), m.group()) for m in WORD.finditer(sentence)]
    wanted = set(question.terms)
    positions = [i for i, (_, word) in enumerate(tokens) if set(terms(word)) & wanted]
    at = next((i for i, (offset, _) in enumerate(tokens) if offset >= candidate.start), len(tokens))
    score = -min((abs(at - p) for p in positions), default=10) / 3
    if question.head and any(t.lower().startswith(root(question.head)) for t in WORD.findall(candidate.text)):
        score += weights.head_bonus
    if question.kind is not None:
        score += KINDS[question.kind].closeness(candidate, weights)
    own = terms(candidate.text)
    return score - weights.asked_words_penalty * sum(t in wanted for t in own) / max(len(own), 1)
