"""Timelines: "How did the Halden bridge collapse develop?" as dated events in order, one cited sentence each.

The sentences of the retrieved passages are scored against the topic as the extractive answerer scores
them against a question. Each relevant sentence of a dated article is an event, dated by the relative
date it states ("on Monday evening", from the article's date) or else by its article's date; an article
gives at most two events, the same event told again (a sentence that says nearly the same) is merged into
the first telling, which names the others; then the events are put in order of their days.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..errors import BadValueError
from ..records.answer import Answer, TimelineEvent
from ..records.article import Carrier, Passage
from ..records.dates import date_number, day_label
from ..records.events import AnswerEvent, Done, TextDelta
from ..text.dated_phrases import dated_phrases
from ..text.time_words import find_mentions
from .citing import cite
from .evidence import Sentence
from .extractive import ExtractiveAnswerer, passage_terms, sentences_of, with_marker
from .question import analyse

TIMELINE_QUESTION = re.compile(
    r"^\s*(?:how\s+(?:did|has|have|had)\s+(?P<develop>.+?)\s+(?:develop|developed|unfold|unfolded|evolve|evolved|"
    r"progress|progressed)\b[^?.!]*|(?:(?:give|show)\s+me\s+)?(?:an?\s+|the\s+)?timeline\s+(?:of|for)\s+"
    r"(?P<timeline>.+?))\s*[?.!]*\s*$", re.IGNORECASE)
NO_EVENTS = "The indexed articles hold no dated events about this."


def timeline_topic(question: str) -> str | None:
    """The topic of a question that asks how something developed ("How did X develop?", "Timeline of X")."""
    match = TIMELINE_QUESTION.match(question)
    if not match:
        return None
    topic = match.group("develop") or match.group("timeline")
    for mention in reversed(find_mentions(topic, date.today())):  # "last week" narrows the dates, not the topic
        topic = topic[:mention.start] + topic[mention.end:]
    return " ".join(topic.split()) or None


FOLLOW_ON = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:what\s+(?:happened|came)\s+|how\s+did\s+it\s+(?:go\s+on|continue)\s*)?"
    r"(?:next|then|after\s+that|afterwards|later|since\s+then|(?P<dated>(?:since|after|before|in|on|during|last|"
    r"this)\s+[^?.!]+))?\s*[?.!]*\s*$", re.IGNORECASE)


def follow_on_topic(question: str, history: list[str] | None) -> str | None:
    """The timeline a short follow-up continues: after "How did X develop?", "And since Friday?" or "What
    happened next?" is X's timeline again (its own time words narrow the dates)."""
    previous = timeline_topic(history[-1]) if history else None
    if previous is None or len(question.split()) > 8:
        return None
    match = FOLLOW_ON.match(question)
    if not match or not match.group(0).strip(" ?.!"):
        return None
    if match.group("dated") and not find_mentions(question, date.today()):
        return None  # "In what year?", "On which bridge?": a question of its own
    return previous


@dataclass(eq=False)
class TimelineBuilder:
    """``run(topic, passages)`` -> an :class:`Answer` whose ``timeline`` lists the events, oldest first."""

    answerer: ExtractiveAnswerer
    min_score: float = 0.5  # a sentence the answerer would cite: the setting abstain_below
    max_events: int = 12
    per_article: int = 2
    same_event: float = 0.9  # cosine of two sentences that tell one event

    def __post_init__(self) -> None:
        if not 1 <= self.max_events <= 50:
            raise BadValueError(f"timeline_events={self.max_events} must be between 1 and 50")

    def stream(self, topic: str, passages: list[Passage], question: str = "") -> Iterator[AnswerEvent]:
        """The stream every answerer gives: the whole text at once, then the Answer."""
        answer = self.run(topic, passages, question)
        yield TextDelta(answer.text)
        yield Done(answer)

    def run(self, topic: str, passages: list[Passage], question: str = "") -> Answer:
        asked = analyse(topic)
        sentences = sentences_of(passages, asked, passage_terms(passages))
        ranked = self.answerer.rank(asked, topic, sentences) if sentences else []
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
        return Answer(text or NO_EVENTS, citations, not kept, passages, question or topic, topic, timeline=events)


def _day_of(sentence: Sentence) -> str:
    """The day the sentence's event happened: the one day a relative date in it names, else its article's."""
    days = [p.since for p in dated_phrases(sentence.text, sentence.passage.date, sentence.span.start)
            if p.since == p.until]
    return days[0] if days else sentence.passage.date or ""


def _cosine(first: Sentence, second: Sentence) -> float:
    if first.vector is None or second.vector is None:
        return 0.0
    return float(np.dot(first.vector, second.vector))
