"""Evidence: does a sentence answer what was asked, or only sound like it?

A sentence answers when it (with the sentence before it, and its article's title) holds every
specific the question states (its names, numbers, rare words, its "largest" or "not"), and, when the
question asks for a thing, a span of that kind the question does not already give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from typing import TYPE_CHECKING

from ..chunk import looks_like_heading
from ..text import WORD, fold, terms
from ..types import Passage, Span
from .question import NEGATIONS, Kind, Question
from .spans import Candidate, candidates

if TYPE_CHECKING:
    import numpy as np

SPECIFIC_BELOW = 4.0  # Zipf frequency under which a question word is a specific the answer must share
DECISIVE = 10.0  # a name the question gives that no retrieved passage holds: they are about something else


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a word is in English (wordfreq's Zipf scale: 7 for "the", ~3 for "Palmyra")."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@dataclass
class Sentence:
    """A retrieved sentence with what the answerer reads around it."""

    passage: Passage
    span: Span
    text: str
    previous: str  # the sentence before it in the passage ("" for the first)
    terms: frozenset[str] = field(default_factory=frozenset)
    context_terms: frozenset[str] = field(default_factory=frozenset)  # previous sentence and title
    passage_terms: frozenset[str] = field(default_factory=frozenset)  # its passage's title and text
    spans: list[Candidate] = field(default_factory=list)  # of the asked kind, not given by the question
    previous_key: tuple[str, int, int] | None = None  # the sentence before it, when there is one
    vector: np.ndarray | None = field(default=None, repr=False)  # embedded at index time, when stored
    score: float = 0.0

    @property
    def key(self) -> tuple[str, int, int]:
        return self.passage.article_id, self.span.start, self.span.end


def is_heading(sentence: str, title: str) -> bool:
    """Titles, datelines and bylines are never answer sentences."""
    stripped = sentence.strip()
    if not stripped or " ".join(stripped.split()).casefold() == " ".join(title.split()).casefold():
        return True
    if stripped.lower().startswith(("by ", "photo:", "image:", "source:", "updated ", "published ")):
        return len(stripped.split()) <= 12
    return looks_like_heading(stripped)


def term_weight(term: str, word: str) -> float:
    """Rare words weigh more: "Palmyra" says more about a sentence than "said"."""
    return max(0.5, 7.0 - zipf(word)) / 3.0


def weighted_terms(question: Question) -> dict[str, float]:
    weights: dict[str, float] = {}
    for token in WORD.findall(question.text):
        for term in terms(token):
            weight = term_weight(term, token.lower())
            if term in question.names:
                weight *= 1.5
            weights[term] = max(weights.get(term, 0.0), weight)
    return weights


def coverage(weights: dict[str, float], present: frozenset[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


def specifics(question: Question) -> set[str]:
    """Question terms an answer must share: names, numbers and rare words."""
    rare = {t for token in WORD.findall(question.text) for t in terms(token)
            if zipf(token.lower()) < SPECIFIC_BELOW}
    return set(question.names) | rare | {t for t in question.terms if any(c.isdigit() for c in t)}


def new_spans(sentence: str, question: Question) -> list[Candidate]:
    """Spans of the asked kind that the question does not already give."""
    if question.kind is None:
        return []
    out = []
    for candidate in candidates(sentence, question.kind):
        words = {fold(w) for w in WORD.findall(candidate.text)}
        if words and not words <= question.words:
            out.append(candidate)
    return out


DEGREE_GROUPS = (
    {"largest", "biggest", "greatest", "most", "highest", "major"},
    {"smallest", "least", "fewest", "lowest"},
    {"first", "earliest", "oldest", "original"},
    {"last", "latest", "final", "newest", "recent", "youngest"},
    {"longest"}, {"shortest"},
)


def _same_degree(word: str, present: set[str]) -> bool:
    group = next((g for g in DEGREE_GROUPS if word in g), {word})
    return bool(group & present)


def _near(term: str, retrieved: frozenset[str]) -> bool:
    """Found, or close enough to be a misspelling ("Merceds") or too short to tell ("TV", "QB")."""
    return len(term) <= 3 or term in retrieved or bool(get_close_matches(term, retrieved, n=1, cutoff=0.75))


def shortfall(question: Question, sentence: Sentence, retrieved: frozenset[str] = frozenset()) -> dict[str, float]:
    """What the sentence lacks to answer the question, each with how much it counts (none: it answers).

    A name the question gives that neither the sentence, the one before it, the title nor the passage
    holds counts fully, and when no retrieved passage holds it (``retrieved``: their terms) it decides;
    other missing specifics count partly, so one paraphrased word does not refuse.
    """
    present = sentence.terms | sentence.context_terms
    lacking: dict[str, float] = {}
    for term in specifics(question) - present:
        if term in question.names:
            if get_close_matches(term, present, n=1, cutoff=0.8):
                continue  # "Kenyan" and "Kenya", "Beyonce" and "Beyoncés"
            lacking[term] = 0.5 if term in sentence.passage_terms else 1.0 if _near(term, retrieved) else DECISIVE
        elif any(c.isdigit() for c in term):
            lacking[term] = 0.6
        else:
            lacking[term] = 0.35
    words = {w.lower() for w in WORD.findall(f"{sentence.previous} {sentence.text}")}
    for degree in question.degree:
        if not _same_degree(degree, words):
            lacking[degree] = 0.6
    if question.negated and not (words & NEGATIONS or any(w.endswith("n't") for w in words)):
        lacking["not"] = 0.6
    if question.kind is not None and question.kind is not Kind.NAME and not sentence.spans:
        # "who" is often answered by a description ("a civilian translator"), not a name
        lacking[f"<{question.kind.value}>"] = 0.3 if question.kind is Kind.PERSON else 0.6
    return lacking
