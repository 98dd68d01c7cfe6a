"""What the façade asks of an answerer. Every answerer (extractive, timeline, an LLM's) has this shape, so
the façade picks one by the query's intent and treats them alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ..records.answer import Answer
from ..records.article import Passage
from ..records.events import AnswerEvent, Done, TextDelta
from ..records.query import Query


class Answerer(Protocol):
    """A stream of events ending in the Answer (``stream``), or just the Answer (``run``)."""

    def passages_wanted(self, k: int) -> int:
        """How many passages to retrieve for it, when a question asks for ``k``."""
        ...

    def stream(self, query: Query, passages: list[Passage]) -> Iterator[AnswerEvent]: ...

    def run(self, query: Query, passages: list[Passage]) -> Answer: ...


def told_at_once(answer: Answer) -> Iterator[AnswerEvent]:
    """The stream of an answerer with nothing to wait for: the whole text, then the Answer."""
    if answer.text:
        yield TextDelta(answer.text)
    yield Done(answer)
