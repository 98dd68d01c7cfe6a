"""Evidence: does a sentence answer what was asked, or only sound like it?

A sentence answers when it (with the sentence before it, and its article's title) holds every
specific the question states (its names, numbers, rare words, its "largest" or "not"), and, when the
question asks for a thing, a span of that kind the question does not already give. A sentence that
says the contrary of a question's word ("north" where the question asks about "south", "largest"
for "smallest") does not answer it, however close it reads: a question built on the wrong premise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property
from typing import TYPE_CHECKING

from ..ingest.chunk import looks_like_heading
from ..records.article import Passage, Span
from ..text.frequency import zipf
from ..text.lexicon import DEGREE_GROUPS
from ..text.terms import WORD, fold, terms
from .contrary import contradicted
from .kinds import missing_cost, spans_of
from .question import ACRONYM, NEGATIONS, Question
from .spans import LENGTH_UNIT, Candidate, counting, measures
from .weights import WEIGHTS, Weights

if TYPE_CHECKING:
    import numpy as np

ORDINAL = re.compile(r"(?:st|nd|rd|th)\b")
CENTURY = re.compile(r"\bcentur(?:y|ies)\b", re.IGNORECASE)
LENGTHS = frozenset("far tall high wide deep".split())  # "how high": a length; "how long" may be a time


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
    asked: Question | None = None  # the question it is read for: its spans are of the asked kind
    previous_key: tuple[str, int, int] | None = None  # the sentence before it, when there is one
    vector: np.ndarray | None = field(default=None, repr=False)  # embedded at index time, when stored
    score: float = 0.0
    rules_score: float = 0.0  # the rules' score, once what it lacks is counted (the learned scorer replaces score)
    similarity: float = 0.0  # to the question's meaning (the better of alone and with the one before)
    lexical: float = 0.0  # the share of the question's weighted words it holds
    lacking: dict[str, tuple[str, float]] = field(default_factory=dict)  # see lacks(): term -> (kind, amount)

    @property
    def key(self) -> tuple[str, int, int]:
        return self.passage.article_id, self.span.start, self.span.end

    @cached_property
    def spans(self) -> list[Candidate]:
        """Spans of the asked kind that the question does not give; found when first read (the slowest
        reading of a sentence, so the answerer reads them only for sentences that can still rank high)."""
        return new_spans(self.text, self.asked) if self.asked is not None else []


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
            if zipf(token.lower()) < WEIGHTS.specific_below}
    return set(question.names) | rare | {t for t in question.terms if any(c.isdigit() for c in t)}


def new_spans(sentence: str, question: Question) -> list[Candidate]:
    """Spans of the asked kind that the question does not already give, in its words or as an acronym of them
    (either way)."""
    if question.kind is None:
        return []
    out = []
    for candidate in measures(sentence) if question.measured else spans_of(sentence, question.kind):
        words = {fold(w) for w in WORD.findall(candidate.text)}
        if candidate.text in question.initials or not fits(question, sentence, candidate):
            continue
        spelling = set().union(*spelled_out(candidate.text, question.acronyms).values())
        if words and not words <= question.words | spelling:
            out.append(candidate)
    return out


def fits(question: Question, sentence: str, candidate: Candidate) -> bool:
    """Whether a span can be what was asked: "how high" is a length, not "7000 years"; "what century" is a
    century; "how many villages" is neither "40" of "40 castles" nor "9" of "the 9th"."""
    if question.head in LENGTHS and not LENGTH_UNIT.search(candidate.text):
        return False
    if question.head in ("century", "centuries") and not CENTURY.search(candidate.text):
        return False  # "what century": not "1939"
    if not question.counts_items:
        return True  # "how much water": "300 million cubic metres" measures it
    if ORDINAL.match(sentence, candidate.end):
        return False  # "the 9th century" counts nothing
    return not question.counted or counting(question.counted, sentence, candidate) >= 0


def spelled_out(text: str, acronyms: frozenset[str]) -> dict[str, set[str]]:
    """Each of ``acronyms`` that ``text`` spells out, with the words that do ("MVP": most, valuable, player)."""
    if not acronyms:
        return {}
    capitalised = [w for w in WORD.findall(text) if w[:1].isupper()]
    out: dict[str, set[str]] = {}
    for acronym in acronyms:
        for first in range(len(capitalised) - len(acronym) + 1):
            run = capitalised[first:first + len(acronym)]
            if "".join(w[0] for w in run) == acronym:
                out.setdefault(acronym, set()).update(fold(w) for w in run)
    return out


def abbreviated(question: Question, text: str) -> set[str]:
    """Question words that ``text`` says in other letters, folded: its acronym for the question's words ("MVP"
    for "Most Valuable Player"), or the words of the question's acronym ("Most Valuable Player" for "MVP")."""
    said = {fold(w) for a in ACRONYM.findall(text) if a in question.initials for w in question.initials[a].split()}
    return said | {fold(a) for a in spelled_out(text, question.acronyms)}


def _same_degree(word: str, present: set[str]) -> bool:
    group = next((g for g in DEGREE_GROUPS if word in g), {word})
    return bool(group & present)


def _near(term: str, retrieved: frozenset[str]) -> bool:
    """Found, or close enough to be a misspelling ("Merceds") or too short to tell ("TV", "QB")."""
    return len(term) <= 3 or term in retrieved or bool(get_close_matches(term, retrieved, n=1, cutoff=0.75))


@dataclass(frozen=True)
class Demands:
    """What a sentence must hold to answer a question: read once per question, then checked per sentence."""

    question: Question
    specifics: frozenset[str]  # names, numbers and rare words of the question
    unheard: frozenset[str]  # its names that no retrieved passage holds, even nearly: they decide

    @classmethod
    def of(cls, question: Question, retrieved: frozenset[str] = frozenset()) -> Demands:
        """``retrieved``: the terms of every retrieved passage."""
        return cls(question, frozenset(specifics(question)),
                   frozenset(t for t in question.names if not _near(t, retrieved)))


def lacks(demands: Demands, sentence: Sentence, weights: Weights = WEIGHTS) -> dict[str, tuple[str, float]]:
    """What the sentence lacks to answer the question: each missing term with the kind of lack (the name of
    the weight it counts with, "kind" for a missing span of the asked kind, "contrary") and how much it counts;
    none: it answers. The rules subtract the amounts; the learned scorer reads each kind as a feature.

    A name the question gives that neither the sentence, the one before it, the title nor the passage
    holds counts fully, and when no retrieved passage holds it it decides; other missing specifics count
    partly, so one paraphrased word does not refuse. A word of the question whose contrary the sentence
    says (``~south``), and a "when" or "how many" the sentence has no time or number for, decide.
    """
    question = demands.question
    present = sentence.terms | sentence.context_terms
    said_otherwise = abbreviated(question, f"{sentence.previous} {sentence.text}") \
        if question.acronyms or question.initials else set()
    present |= {t for word in said_otherwise for t in terms(word)}
    lacking: dict[str, tuple[str, float]] = {}

    def lack(term: str, kind: str, amount: float | None = None) -> None:
        lacking[term] = (kind, getattr(weights, kind) if amount is None else amount)

    for term in demands.specifics - present:
        if term in question.names:
            if get_close_matches(term, present, n=1, cutoff=0.8):
                continue  # "Kenyan" and "Kenya", "Beyonce" and "Beyoncés"
            lack(term, "missing_name_in_passage" if term in sentence.passage_terms else
                 "decisive" if term in demands.unheard else "missing_name")
        elif any(c.isdigit() for c in term):
            lack(term, "missing_number")
        else:
            lack(term, "missing_word")
    if question.degree or question.negated:
        words = {w.lower() for w in WORD.findall(f"{sentence.previous} {sentence.text}")} | said_otherwise
        for degree in question.degree:
            if not _same_degree(degree, words):
                lack(degree, "missing_degree")
        if question.negated and not (words & NEGATIONS or any(w.endswith("n't") for w in words)):
            lack("not", "missing_negation")
    if question.kind is not None and not sentence.spans and (cost := missing_cost(question, sentence.text, weights)):
        lack(f"<{question.kind.value}>", "kind", cost)
    for word in contradicted(question, sentence.text):
        lack(f"~{word}", "contrary", weights.decisive)
    return lacking
