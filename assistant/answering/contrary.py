"""Contrary words: a sentence that says "north" does not answer a question about the "south" turn.

A question built on a premise the articles contradict ("the smallest port", where they name the
largest) has no answer in them, however close the sentence that contradicts it reads.
"""

from __future__ import annotations

from ..text.lexicon import CONTRARY_GROUPS, OPPOSITE_DEGREES
from ..text.terms import WORD, stem, terms
from .question import Question


def _contraries() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in CONTRARY_GROUPS:
        for word in group:
            out.setdefault(word, set()).update(group - {word})
    for one, other in OPPOSITE_DEGREES:
        for word in one:
            out.setdefault(word, set()).update(other)
        for word in other:
            out.setdefault(word, set()).update(one)
    return {word: frozenset(opposed) for word, opposed in out.items()}


CONTRARIES = _contraries()


def _says(word: str, words: set[str], stems: set[str]) -> bool:
    """The sentence says the word, or a form of it ("warm" and "warmer", "lose" and "losing")."""
    prefix = word[:max(4, len(word) - 3)]
    return word in words or stem(word) in stems or (len(word) >= 4 and any(w.startswith(prefix) for w in words))


def contradicted(question: Question, sentence: str) -> list[str]:
    """The question's words the sentence does not say while it says their contrary: asked about the
    "south" turn where the sentence has the "north" one, the "smallest" where it has the "largest".

    Only words written in lower case count, so "South Africa" is a name and not a direction.
    """
    asked = {w for w in WORD.findall(question.text) if w.islower() and w in CONTRARIES}
    if not asked:
        return []
    words = {w.lower() for w in WORD.findall(sentence)}
    stems = set(terms(sentence))
    return sorted(w for w in asked if CONTRARIES[w] & words and not _says(w, words, stems))
