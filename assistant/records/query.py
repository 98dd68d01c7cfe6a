"""A question read once: what it asks for, the dates it is limited to, what to search for, and which
answerer answers it. The façade makes one :class:`Query` (``answering.reading``) and hands it to
retrieval and to the answerer; nothing after that reads the question's string again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .filters import Filters
from .period import Period


class Kind(StrEnum):
    """The kind of span a question asks for; a short answer is a span of this kind."""

    PERSON = "person"
    DATE = "date"
    NUMBER = "number"
    PLACE = "place"
    NAME = "name"  # which/what + noun: a proper name of that thing


class Intent(StrEnum):
    """What the question asks the articles for, and so which answerer answers it."""

    ANSWER = "answer"  # a fact, with the sentences that state it
    TIMELINE = "timeline"  # "How did X develop?": dated events in order
    BRIEFING = "briefing"  # "What happened last week?", "Catch me up on X": the period's stories, each once


@dataclass(frozen=True)
class Question:
    """A question's words as the answerer reads them (made by ``answering.question.analyse``)."""

    text: str
    kind: Kind | None  # None: the question asks for an explanation, not a thing
    head: str | None  # the noun after which/what ("venue", "year"), when there is one
    terms: tuple[str, ...]  # content words, stemmed
    names: tuple[str, ...]  # stemmed terms of capitalised words past the first: names the answer must share
    numbers: tuple[str, ...]  # numbers the question states
    degree: tuple[str, ...]  # superlatives and comparatives ("largest", "more"): the answer must say them too
    negated: bool
    words: frozenset[str]  # every word, folded: a span made only of these is no answer
    # "MVP", "NFL": an answer that spells one out ("Most Valuable Player") only repeats the question
    acronyms: frozenset[str] = frozenset()
    # initials of its runs of capitalised words ("MVP": "Most Valuable Player"): saying one says the words
    initials: dict[str, str] = field(default_factory=dict, compare=False)
    measured: bool = False  # "how long/far/high": the answer is a number with its unit ("1,230 km")
    counts_items: bool = False  # "how many": things counted ("40 villages"), not an amount ("300 m³")
    counted: str | None = None  # the noun "how many/much" counts ("people"), when there is one
    verb: str | None = None  # "Who fined the company?": the verb whose doer is asked ("fined")


@dataclass(frozen=True)
class Query:
    """Everything the flow needs to know about one question, read once."""

    text: str  # the question as asked
    asked: Question  # its words, read
    search_text: str  # what retrieval searches for: the question with its conversation, or a timeline's topic
    # ("" for a briefing without a topic: the period's articles are listed, not searched)
    searched: Question  # the search text read like a question (``asked`` itself when they are the same)
    reference_day: date  # relative words ("last week") count from it: ``as_of``, else today
    filters: Filters = field(default_factory=Filters)  # the given filters, narrowed by time words and as_of
    period: Period | None = None  # the dates it is limited to (None: no time words and no as_of)
    notes: tuple[str, ...] = ()  # what its time words did ("Articles from 9–15 Dec 2024 (“last week”)")
    history: tuple[str, ...] = ()  # earlier questions of the conversation
    intent: Intent = Intent.ANSWER
    recent: bool = False  # it asks for the latest ("latest", "so far", "now")
    continues: bool = False  # "What happened next?" after a timeline: the events after those it showed
