"""Condense: turn a follow-up ("When did it happen?") into a question that retrieval can use.

The condensed question only finds passages; the answer still answers the question as asked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from ..records.answer import strip_markers
from ..settings import Settings
from ..text.terms import terms
from .llm.backends import generate
from .llm.prompts import format_history, load_prompt

log = logging.getLogger(__name__)
REFERRING = re.compile(r"\b(?:it|its|he|she|him|her|his|hers|they|them|their|this|that|these|those|there|"
                       r"the same|the attack|the event)\b", re.IGNORECASE)
FOLLOW_UPS = 3  # a subject is carried over at most this many follow-ups


def leans_on(question: str) -> bool:
    """Whether a question needs the conversation to be read: a pronoun ("When did it happen?") or almost
    no words of its own ("Where?", "Who vowed retaliation?")."""
    return bool(REFERRING.search(question)) or len(terms(question)) <= 2


def condense(question: str, history: Sequence[str] | None) -> str:
    """Prefix the conversation's subject when the follow-up leans on it; otherwise leave it alone. The subject
    is the last question that stood on its own, with the follow-ups asked since (at most ``FOLLOW_UPS``): after
    "Who confirmed the Palmyra attack?" and "When did it happen?", "Where?" is still about the attack."""
    previous = [h.strip() for h in (history or []) if h.strip()]
    if not previous or not leans_on(question):
        return question
    start = len(previous) - 1
    while start > 0 and leans_on(previous[start]) and len(previous) - start <= FOLLOW_UPS:
        start -= 1
    return " ".join([*previous[start:], question.strip()])


class Condenser:
    """Follow-up -> standalone search question: by the LLM when one is configured (``prompts/condense.txt``),
    else (and whenever the LLM fails or rambles) by :func:`condense`."""

    def __init__(self, settings: Settings, chat_model: Any = None) -> None:
        self.settings = settings
        self.chat_model = chat_model  # tests and Python users may hand in a ready LangChain model

    @property
    def uses_llm(self) -> bool:
        return self.settings.llm_backend != "none" or self.chat_model is not None

    def run(self, question: str, history: Sequence[str] | None = None) -> str:
        heuristic = condense(question, history)
        earlier = format_history(history)
        if not earlier or not self.uses_llm:
            return heuristic
        try:
            messages = load_prompt(self.settings, "condense").messages(history=earlier,
                                                                       question=" ".join(question.split()))
            text = "".join(generate(self.settings, messages, self.chat_model))
        except Exception as exc:
            log.warning("LLM condense failed: %r", exc)
            return heuristic
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        rewritten = re.sub(r"^(?:standalone question|question)\s*:\s*", "", lines[0], flags=re.I) if lines else ""
        rewritten = strip_markers(rewritten).strip(" \"'“”")
        return rewritten if 3 <= len(rewritten) <= 2 * len(heuristic) + 80 else heuristic
