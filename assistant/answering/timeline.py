"""Timelines: "How did the Halden bridge collapse develop?" as dated events in order, one cited sentence each.

The sentences of the retrieved passages are scored against the topic as the extractive answerer scores
them against a question. Each relevant sentence of a dated article is an event, dated by the relative
date it states ("on Monday evening", from the article's date) or else by its article's date; an article
gives at most two events, the same event told again (a sentence that says nearly the same) is merged into
the first telling, which names the others; then the events are put in order of their days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..errors import BadValueError
from ..records.answer import Answer, TimelineEvent
from ..records.article import Carrier, Passage
from ..records.dates import date_number, day_label
from ..records.events import AnswerEvent, Done, TextDelta
from ..records.query import Query
from ..text.dated_phrases import dated_phrases
from .citing import cite
from .evidence import Sentence
from .extractive import ExtractiveAnswerer, passage_terms, sentences_of, with_marker

NO_EVENTS = "The indexed articles hold no dated events about this."


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
        """The stream every answerer gives: the whole text at once, then the Answer."""
        answer = self.run(query, passages)
        yield TextDelta(answer.text)
        yield Done(answer)

    def run(self, query: Query, passages: list[Passage]) -> Answer:
        topic, asked = query.search_text, query.searched
        sentences = sentences_of(passages, asked, passage_terms(passages))
        ranked = self.answerer.rank(asked, asked, sentences) if sentences else []
        kept: list[tuple[Sentence, str, list[Carrier]]] = []  # sentence, day, other outlets that told it
        per_article: dict[str, int] = {}
        for sentence in ranked:
            passage = sentence.passage
            if sentence.score < self.min_score or not date_number(passage.date) \
                    or per_article.get(passage.article_id, 0) >= self.per_article:
                continue
            told = next((k for k in kept if _cosine(k[0], sentence) >= self.same_event), None)
            if told is not None:  # a repeat: the first telling names this outlet too
                told[2].append(Carrier(passage.article_id, passage.title, passage.source, passage.date, passage.url))
                continue
            per_article[passage.article_id] = per_article.get(passage.article_id, 0) + 1
            kept.append((sentence, _day_of(sentence), []))
            if len(kept) == self.max_events:
                break
        kept.sort(key=lambda k: (k[1], k[0].passage.date or "", k[0].span.start))
        citations = [cite(n, s.passage, s.span, s.score) for n, (s, _, _) in enumerate(kept, 1)]
        for citation, (_, _, retold) in zip(citations, kept):
            citation.carried_by += retold
        events = [TimelineEvent(day, c.n) for (_, day, _), c in zip(kept, citations)]
        text = "\n".join(f"{day_label(e.day)}: {with_marker(s.text, e.n)}" for (s, _, _), e in zip(kept, events))
        return Answer(text or NO_EVENTS, citations, not kept, passages, query.text, topic, timeline=events)


def _day_of(sentence: Sentence) -> str:
    """The day the sentence's event happened: the one day a relative date in it names, else its article's."""
    days = [p.since.isoformat() for p in dated_phrases(sentence.text, sentence.passage.date, sentence.span.start)
            if p.since and p.since == p.until]
    return days[0] if days else sentence.passage.date or ""


def _cosine(first: Sentence, second: Sentence) -> float:
    if first.vector is None or second.vector is None:
        return 0.0
    return float(np.dot(first.vector, second.vector))
