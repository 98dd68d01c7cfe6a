"""What every answerer streams: status lines, text as it is written, then the finished Answer.

The web chat, the terminal and ``Assistant.ask`` read the same events, so none of them has to tell
pieces apart by hand, and a new answerer only has to yield these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import AnswererError
from .answer import Answer


@dataclass(frozen=True)
class Status:
    """What the assistant is doing ("Searching the articles", "Reading 5 passages")."""

    message: str


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text as it is written; the final Answer's text replaces them all."""

    text: str


@dataclass(frozen=True)
class Done:
    """The checked answer with its citations: always the last event."""

    answer: Answer


AnswerEvent = Status | TextDelta | Done


def final_answer(events: Iterable[AnswerEvent]) -> Answer:
    """The Answer at the end of a stream (the stream is consumed)."""
    answer = None
    for event in events:
        if isinstance(event, Done):
            answer = event.answer
    if answer is None:
        raise AnswererError("the answerer finished without an answer")
    return answer
