"""Contrary words: a sentence that says "north" does not answer a question about the "south" turn.

A question built on a premise the articles contradict ("the smallest port", where they name the
largest) has no answer in them, however close the sentence that contradicts it reads.
"""

from __future__ import annotations

from ..text.terms import WORD, stem, terms
from .question import Question

# Words that exclude each other: a sentence saying one does not answer a question asking the other.
# Degree words pair only with their opposite ("largest"/"smallest"); "first"/"last" are left out,
# since "the first since 1985" answers "the last before".
CONTRARY_GROUPS: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "north south east west", "northern southern eastern western", "northward southward eastward westward",
    "northeast southwest", "northwest southeast", "upper lower", "left right", "warm cold", "hot cold",
    "light dark", "increase decrease", "increased decreased", "rise fall", "rose fell", "ancient modern",
    "strong weak", "heavily sparsely", "clean dirty", "open closed", "opened closed", "old new", "large small",
    "high low", "wide narrow", "deep shallow", "fast slow", "early late", "inner outer", "import export",
    "win lose", "won lost", "maximum minimum", "above below", "upstream downstream", "internal external",
    "private public", "merge diverge", "merged diverged", "join separate", "joined separated",
    "same different", "allowed banned", "accepted rejected", "success failure", "majority minority",
))
OPPOSITE_DEGREES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split())) for a, b in (
        ("largest biggest greatest most highest major", "smallest least fewest lowest minor"),
        ("longest", "shortest"), ("larger bigger greater more higher", "smaller less fewer lower"),
        ("longer", "shorter"), ("older", "newer younger"), ("earlier", "later"), ("wider", "narrower"),
        ("warmer", "colder cooler"), ("lighter", "darker heavier"),
    ))


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
