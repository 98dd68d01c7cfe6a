"""Condense: turn a follow-up ("When did it happen?") into a question that retrieval can use."""

from __future__ import annotations

import re

from .text import terms

REFERRING = re.compile(r"\b(?:it|its|he|she|him|her|his|hers|they|them|their|this|that|these|those|there|"
                       r"the same|the attack|the event)\b", re.IGNORECASE)


def condense(question: str, history: list[str] | None) -> str:
    """Prefix the previous question when the follow-up leans on it; otherwise leave it alone."""
    previous = [h for h in (history or []) if h.strip()]
    if not previous:
        return question
    leans_on_history = bool(REFERRING.search(question)) or len(terms(question)) <= 2
    return f"{previous[-1].strip()} {question.strip()}" if leans_on_history else question
