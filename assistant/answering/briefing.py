"""Briefings: "What happened last week?" as the period's stories, each once, most carried and newest first,
each told by its lead and cited; "Catch me up on the strike" as that topic's stories, oldest first, each
with its developments.

Retrieval hands over the first passage of each article of the period (wire copies already folded into one
report that carries the others, see :mod:`..search.stories`). A report's lead is the first sentence of its
article that states news, not a dateline, byline or time stamp. Reports whose leads mean nearly the same
(a follow-up of the same story, a rewrite) are one story: a story is carried by every outlet of its reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..errors import BadValueError
from ..records.answer import Answer, BriefedStory, Citation
from ..records.article import Passage, Span, chunk_id_of
from ..records.dates import date_number, day_label
from ..records.events import AnswerEvent
from ..records.query import Query
from ..store.packing import sentence_vectors_of
from ..text.frequency import zipf
from .base import told_at_once
from .citing import cite
from .evidence import is_heading
from .extractive import ExtractiveAnswerer, passage_terms, sentences_of, with_marker

# Two reports are one story when their first passages are at least SAME_STORY similar (cosine of their mean
# sentence vectors), or NAMED_STORY similar and naming one rare name (a place, a company: "Halden", "Cobbet")
# within FOLLOW_UP_DAYS of each other. Chosen on tests/fixtures/story (follow-ups of one story link at 0.44 to
# 0.60, other stories at 0.17 at most), checked on tests/fixtures/fortnight, written apart (benchmarks/DECISIONS.md).
SAME_STORY = 0.6
NAMED_STORY = 0.4
FOLLOW_UP_DAYS = 7
RARE_NAME = 3.5  # a capitalised word rarer than this (Zipf) names the story: "Halden" 2.0, "Trump" 4.9
NAME = re.compile(r"(?<=[a-z,;:]\s)[A-Z][a-z]{2,}")  # not the first word of a sentence
LEAD_WORDS = 6  # a lead states news in a sentence: "Arizona Republic", "Tainan, Taiwan CNN —" do not
NOT_NEWS = re.compile(  # lines before the news: a byline, a time stamp, a credit, a dateline that ends in a dash
    r"^\s*(?:by\s+[A-Z]|(?:updated|published|posted|last\s+modified)\b|(?:photo|image|video|listen|watch|share|"
    r"advertisement|subscribe|sign\s+up)\b|[^.!?]{0,60}[—–-]\s*$)", re.IGNORECASE)
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+(?:,\s*[^—–()\n]{1,30})?\s*(?:\([^)]{1,40}\))?\s*[—–-]+\s+(?=[A-Z])")
NO_STORIES = "No indexed article is {period}."  # "from 9–15 Nov 2026", "since 2 Nov 2026"


@dataclass
class Report:
    """One article of the period (with the wire copies that carry it): where its lead stands."""

    passage: Passage
    lead: Span
    vector: np.ndarray
    outlets: tuple[str, ...]  # its own publisher first, then the copies' (those dated in the period)
    copies: int  # articles it stands for: itself and its wire copies in the period
    names: frozenset[str]  # the rare names of its title and its text from the lead on

    @property
    def day(self) -> str:
        return self.passage.date or ""


@dataclass
class Story:
    reports: list[Report] = field(default_factory=list)  # oldest first

    @property
    def outlets(self) -> tuple[str, ...]:
        """Its publishers, the most reports first, then the first to report it."""
        counts: dict[str, int] = {}  # in order of reporting
        for report in self.reports:
            for outlet in report.outlets:
                counts[outlet] = counts.get(outlet, 0) + 1
        order = list(counts)
        return tuple(sorted(counts, key=lambda name: (-counts[name], order.index(name))))

    @property
    def told_by(self) -> Report:
        """The report whose lead tells the story: its earliest in the period, the most carried of that day."""
        return min(self.reports, key=lambda r: (r.day, -r.copies, r.passage.article_id))


@dataclass(eq=False)
class BriefingBuilder:
    """``run(query, passages)`` -> an :class:`Answer` whose ``briefing`` lists the period's stories."""

    answerer: ExtractiveAnswerer  # reads a topic's relevance as the timeline does
    min_score: float = 0.5  # a topic's story has a sentence the answerer would cite: the setting abstain_below
    max_stories: int = 10
    articles: int = 200  # the period's newest articles read (the rest are older than any story shown)
    same_story: float = SAME_STORY

    def __post_init__(self) -> None:
        if not 1 <= self.max_stories <= 50:
            raise BadValueError(f"briefing_stories={self.max_stories} must be between 1 and 50")

    def passages_wanted(self, k: int) -> int:
        return self.articles

    def stream(self, query: Query, passages: list[Passage]) -> Iterator[AnswerEvent]:
        return told_at_once(self.run(query, passages))

    def run(self, query: Query, passages: list[Passage]) -> Answer:
        topic = query.search_text
        firsts = [p for p in passages if p.chunk_id == chunk_id_of(p.article_id, 0)]  # where each lead stands
        if topic:
            about = self._about_topic(query, passages)
            firsts = [p for p in firsts if p.article_id in about]
        reports = [r for p in {p.article_id: p for p in firsts}.values() if (r := self._report(p, query)) is not None]
        stories = self._stories(reports)
        if topic:
            stories.sort(key=lambda s: (s.reports[0].day, s.reports[0].passage.article_id))
        else:
            stories.sort(key=lambda s: (-len(s.outlets), -(date_number(s.reports[-1].day) or 0),
                                        -sum(r.copies for r in s.reports)))
        return self._answer(query, passages, stories[: self.max_stories], bool(topic))

    def _about_topic(self, query: Query, passages: list[Passage]) -> set[str]:
        """The articles with a sentence the answerer would cite for the topic."""
        sentences = sentences_of(passages, query.searched, passage_terms(passages))
        ranked = self.answerer.rank(query.searched, query.searched, sentences) if sentences else []
        return {s.passage.article_id for s in ranked if s.score >= self.min_score}

    def _report(self, passage: Passage, query: Query) -> Report | None:
        lead = lead_of(passage)
        if lead is None or date_number(passage.date) is None or len(passage.date or "") < 10:
            return None  # a briefing places each report on its day
        vectors = sentence_vectors_of(passage)
        if vectors is None or not len(vectors):
            vectors = self.answerer.embedder.encode([passage.text])
        mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
        low, high = query.filters.lowest, query.filters.highest
        copies = [c for c in passage.carriers if (day := date_number(c.date)) is not None
                  and (low is None or day >= low) and (high is None or day <= high)]
        outlets = tuple(dict.fromkeys(o for o in (passage.source, *(c.source for c in copies)) if o))
        told = f"{passage.title}. {passage.text[lead.start - passage.start:]}"
        return Report(passage, lead, mean / max(float(np.linalg.norm(mean)), 1e-12), outlets, 1 + len(copies),
                      rare_names(told))

    def _stories(self, reports: list[Report]) -> list[Story]:
        """Reports grouped by meaning: each joins the story of the most similar earlier report it follows up."""
        reports = sorted(reports, key=lambda r: (r.day, r.passage.article_id))
        owner: list[Story] = []
        if reports:
            vectors = np.stack([r.vector for r in reports])
            similar = vectors @ vectors.T
        for i, report in enumerate(reports):
            follows = [j for j in range(i) if self._follows(report, reports[j], float(similar[i, j]))]
            best = max(follows, key=lambda j: similar[i, j], default=None)
            owner.append(owner[best] if best is not None else Story())
            owner[-1].reports.append(report)
        return list({id(story): story for story in owner}.values())

    def _follows(self, report: Report, earlier: Report, similarity: float) -> bool:
        if similarity >= self.same_story:
            return True
        close = (date.fromisoformat(report.day[:10]) - date.fromisoformat(earlier.day[:10])).days <= FOLLOW_UP_DAYS
        return similarity >= NAMED_STORY and close and bool(report.names & earlier.names)

    def _answer(self, query: Query, passages: list[Passage], stories: list[Story], topic: bool) -> Answer:
        citations: list[Citation] = []
        lines: list[str] = []
        briefed: list[BriefedStory] = []

        def cited(report: Report) -> tuple[int, str]:
            citation = cite(len(citations) + 1, report.passage, report.lead, 1.0)
            citations.append(citation)
            return citation.n, with_marker(citation.quote, citation.n)

        for story in stories:
            lead = story.told_by
            n, text = cited(lead)
            outlets = story.outlets
            lines.append(f"{day_label(lead.day)} · {_outlets(outlets)}: {text}")
            later = [r for r in story.reports if r is not lead and r.day >= lead.day] if topic else \
                [r for r in story.reports[-1:] if r is not lead and r.day > lead.day]
            shown = []
            for report in later:
                m, text = cited(report)
                shown.append(m)
                lines.append(f"{'' if topic else 'Latest, '}{day_label(report.day)}: {text}")
            briefed.append(BriefedStory(n, story.reports[0].day, story.reports[-1].day, outlets,
                                        sum(r.copies for r in story.reports), tuple(shown)))
        if not briefed:
            period = query.period.label().removeprefix("Articles ") if query.period else "this period"
            text = NO_STORIES.format(period=period) if not topic else "The indexed articles hold no story on this."
            return Answer(text, [], True, passages, query.text, query.search_text)
        return Answer("\n".join(lines), citations, False, passages, query.text, query.search_text, briefing=briefed)


def lead_of(passage: Passage) -> Span | None:
    """The first sentence of an article's first passage that states news, without a dateline before it."""
    for span in passage.sentences:
        text = passage.text[span.start - passage.start: span.end - passage.start]
        if NOT_NEWS.match(text) or is_heading(text, passage.title):
            continue
        dateline = DATELINE.match(text)
        start = span.start + (dateline.end() if dateline else 0)
        if len(passage.text[start - passage.start: span.end - passage.start].split()) >= LEAD_WORDS:
            return Span(start, span.end)
    return None


def rare_names(text: str) -> frozenset[str]:
    """Capitalised words inside sentences that are rare as words: the places and firms a story is about."""
    return frozenset(word for word in NAME.findall(text) if zipf(word.lower()) < RARE_NAME)


def _outlets(outlets: tuple[str, ...]) -> str:
    if not outlets:
        return "publisher unknown"
    return ", ".join(outlets[:3]) + (f" and {len(outlets) - 3} more" if len(outlets) > 3 else "")
