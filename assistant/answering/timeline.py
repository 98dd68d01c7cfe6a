"""Timelines: "How did the Halden bridge collapse develop?" as dated events in order, one cited sentence each.

The sentences of the retrieved passages are scored against the topic as the extractive answerer scores
them against a question. Each relevant sentence of a dated article that tells what happened (not a plan,
not "sailings were to resume") is an event, dated by the relative date its main clause states ("on Monday
evening", from the article's date; not "the fire, which began on Sunday") or else by its article's date.
A passage gives one event and an article at most two; the same event told again (a sentence that says
nearly the same) is merged into the first telling, which names the others. When there are more events
than are listed, those the most outlets told are kept; then they are put in order of their days.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..errors import BadValueError
from ..records.answer import Answer, TimelineEvent
from ..records.article import Carrier, Passage
from ..records.dates import date_number, day_label
from ..records.events import AnswerEvent
from ..records.query import Query
from ..text.dated_phrases import dated_phrases
from .base import told_at_once
from .citing import cite
from .evidence import Sentence
from .extractive import ExtractiveAnswerer, passage_terms, sentences_of, with_marker

NO_EVENTS = "The indexed articles hold no dated events about this."
NO_LATER_EVENTS = "The indexed articles hold no later events about this."
# A sentence whose verb looks ahead tells a plan, not an event: "were to resume", "will vote", "plans to".
NOT_YET = re.compile(r"\b(?:(?:was|were|is|are)\s+(?:to|due\s+to|expected\s+to|set\s+to|scheduled\s+to)\s+\w+|will|"
                     r"would|shall|plans?\s+to|planned\s+to|intends?\s+to|aims?\s+to)\b", re.IGNORECASE)
# A clause opened by one of these is subordinate: its time is not the time of what the sentence reports.
SUBORDINATE = re.compile(r"\b(?:which|who|whose|where|when|after|before|since|until|while|because|although|"
                         r"though|as|once)\b", re.IGNORECASE)


@dataclass(eq=False)
class TimelineBuilder:
    """``run(query, passages)`` -> an :class:`Answer` whose ``timeline`` lists the events of the query's
    topic (its ``search_text``), oldest first."""

    answerer: ExtractiveAnswerer
    min_score: float = 0.5  # a sentence the answerer would cite: the setting abstain_below
    max_events: int = 12
    per_article: int = 2
    same_event: float = 0.9  # cosine of two sentences that tell one event
    passages: int = 30  # read for a timeline, whatever k a question asks for: the setting timeline_passages

    def __post_init__(self) -> None:
        if not 1 <= self.max_events <= 50:
            raise BadValueError(f"timeline_events={self.max_events} must be between 1 and 50")

    def passages_wanted(self, k: int) -> int:
        return self.passages

    def stream(self, query: Query, passages: list[Passage]) -> Iterator[AnswerEvent]:
        return told_at_once(self.run(query, passages))

    def run(self, query: Query, passages: list[Passage]) -> Answer:
        topic, asked = query.search_text, query.searched
        sentences = sentences_of(passages, asked, passage_terms(passages))
        ranked = self.answerer.rank(asked, asked, sentences) if sentences else []
        kept: list[tuple[Sentence, str, list[Carrier]]] = []  # sentence, day, other outlets that told it
        per_article: dict[str, int] = {}
        told_passages: set[str] = set()
        for sentence in ranked:
            passage = sentence.passage
            if sentence.score < self.min_score or not date_number(passage.date) or NOT_YET.search(sentence.text):
                continue
            told = next((k for k in kept if _cosine(k[0], sentence) >= self.same_event), None)
            if told is not None:  # a repeat: the first telling names this outlet too
                if passage.article_id != told[0].passage.article_id:
                    told[2].append(Carrier(passage.article_id, passage.title, passage.source, passage.date,
                                           passage.url))
                continue
            if passage.chunk_id in told_passages or per_article.get(passage.article_id, 0) >= self.per_article:
                continue
            told_passages.add(passage.chunk_id)
            per_article[passage.article_id] = per_article.get(passage.article_id, 0) + 1
            kept.append((sentence, _day_of(sentence), []))
        # the most told first (outlets that ran it, wire copies included), then the best scored
        kept.sort(key=lambda k: -(1 + len(k[2]) + len(k[0].passage.carriers)))
        if query.continues and kept:  # "What happened next?": after the last day the same timeline showed
            shown = max(k[1] for k in kept[: self.max_events])
            kept = [k for k in kept if k[1] > shown]
        kept = kept[: self.max_events]
        kept.sort(key=lambda k: (k[1], k[0].passage.date or "", k[0].span.start))
        citations = [cite(n, s.passage, s.span, s.score) for n, (s, _, _) in enumerate(kept, 1)]
        for citation, (_, _, retold) in zip(citations, kept):
            citation.carried_by += retold
        events = [TimelineEvent(day, c.n) for (_, day, _), c in zip(kept, citations)]
        text = "\n".join(f"{day_label(e.day)}: {with_marker(s.text, e.n)}" for (s, _, _), e in zip(kept, events))
        empty = NO_LATER_EVENTS if query.continues else NO_EVENTS
        return Answer(text or empty, citations, not kept, passages, query.text, topic, timeline=events)


def _day_of(sentence: Sentence) -> str:
    """The day the sentence's event happened: the one day a relative date of its main clause names, else its
    article's ("The board opened an inquiry into the fire, which began on Sunday": the article's day)."""
    days = [p.since.isoformat() for p in dated_phrases(sentence.text, sentence.passage.date, sentence.span.start)
            if p.since and p.since == p.until and not _subordinate(sentence.text, p.start - sentence.span.start)]
    return days[0] if days else sentence.passage.date or ""


def _subordinate(text: str, at: int) -> bool:
    """Whether the words at ``at`` stand in a subordinate clause: one opened, before them and since the last
    comma or semicolon, by "which", "after", "when" …"""
    clause = re.split(r"[,;:—–]", text[:at])[-1]
    return bool(SUBORDINATE.search(clause))


def _cosine(first: Sentence, second: Sentence) -> float:
    if first.vector is None or second.vector is None:
        return 0.0
    return float(np.dot(first.vector, second.vector))
