"""The records of an answer: what [n] cites, the short answer, a timeline's events, the answer itself."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .article import Carrier, Passage
from .coverage import Coverage
from .dates import DatedWords

if TYPE_CHECKING:
    from .period import Period
    from .versions import Disagreement

CITATION_MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")  # [1], [1, 2], [1;3]


def strip_markers(text: str) -> str:
    """The text without [n] markers: 'in Palmyra [1].' -> 'in Palmyra.'"""
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(CITATION_MARKER.sub(" ", text).split()))


@dataclass
class Citation:
    """What [n] in an answer points at: the exact quote and where it stands in its article."""

    n: int
    title: str
    article_id: str  # the article: its path in the articles folder (a feed record: ``feed.jsonl#3``)
    quote: str
    start: int
    end: int
    score: float
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    passage: str = ""  # the whole retrieved passage, for showing the quote in context
    passage_start: int = 0
    page: int | None = None  # PDFs: 1-based page of the quote
    verified: bool = True  # False when an LLM's sentence is not supported by this passage
    dates: list[DatedWords] = field(default_factory=list)  # "on Monday" in the quote, dated from the article's date
    carried_by: list[Carrier] = field(default_factory=list)  # the same story run by other outlets (stories.py)

    @property
    def source(self) -> str:
        """Deprecated for one release: the article is ``article_id``; who published it is ``publisher``."""
        warnings.warn("Citation.source is deprecated: use article_id (the article) or publisher",
                      DeprecationWarning, stacklevel=2)
        return self.article_id


@dataclass(frozen=True)
class ShortAnswer:
    """The exact span that answers the question ("December 13th"): ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int
    citation: int  # the [n] of the cited sentence it was cut from

    def lead(self, body: str) -> str:
        """The answer's text: this span first, then the cited sentences."""
        return f"{self.text}: {body}"

    def body_of(self, text: str) -> str | None:
        """The cited sentences of a text that :meth:`lead` made, else None."""
        prefix = self.lead("")
        return text[len(prefix):] if text.startswith(prefix) else None


@dataclass(frozen=True)
class TimelineEvent:
    """An event of a timeline answer ("How did X develop?"): the day it happened, the [n] that tells it."""

    day: str  # ISO: the day a relative date in the sentence names, else its article's date
    n: int


@dataclass(frozen=True)
class BriefedStory:
    """A story of a briefing ("What happened last week?"): its lead [n], the days and outlets that carried it in
    the period, and the later developments shown (each a report's lead [n])."""

    n: int  # the citation of its lead: the first news sentence of its earliest report (the most carried that day)
    first_day: str  # ISO: its first report in the period
    last_day: str  # ISO: its newest report in the period
    outlets: tuple[str, ...]  # the publishers that carried it, most reports first
    reports: int  # articles of the story in the period, wire copies included
    developments: tuple[int, ...] = ()  # later reports' leads, oldest first: all for a topic, else the newest


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    abstained: bool
    passages: list[Passage] = field(default_factory=list)
    question: str = ""
    search_query: str = ""  # the question as condensed with the chat history
    note: str = ""  # e.g. "the LLM was unreachable; this is the extractive answer"
    unverified: list[str] = field(default_factory=list)  # answer sentences no passage supports
    short_answer: ShortAnswer | None = None
    period: Period | None = None  # the dates the question was limited to ("last week", as_of), if any
    disagreements: list[Disagreement] = field(default_factory=list)  # outlets giving other figures or names
    timeline: list[TimelineEvent] = field(default_factory=list)  # oldest first, when the question asked for one
    briefing: list[BriefedStory] = field(default_factory=list)  # the period's stories, when it asked for a briefing
    coverage: Coverage | None = None  # how current it is: the cited articles' dates and publishers (None: undated)
