"""The extractive answerer as it was before issue 12 (commit 1b9406b), kept to compare side by side.

Benchmark-only: the product's answerer is :mod:`assistant.answering`. Its words now go through the
same Snowball stems as the rest of the product; otherwise it is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.answering.citing import cite
from assistant.embedders import Embedder as SentenceEmbedder
from assistant.records.answer import Answer, Citation
from assistant.records.article import Passage, Span
from assistant.records.events import Done, TextDelta
from assistant.records.query import Query
from assistant.text.terms import terms, words

ABSTAIN_TEXT = "The indexed articles don't say."
MONTHS = "january february march april may june july august september october november december"
DATE_LIKE = re.compile(
    r"\b(?:(?:" + "|".join(MONTHS.split()) + r")\b|\d{1,2}(?:st|nd|rd|th)\b|(?:19|20)\d\d\b|yesterday|today|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|last (?:week|month|year)|earlier this)",
    re.IGNORECASE,
)
NUMBER_LIKE = re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|"
                         r"thousands?|millions?)\b", re.IGNORECASE)
NAME_LIKE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b")
PLACE_LIKE = re.compile(r"\b(?:in|at|from|near|of) (?:the )?[A-Z][a-z]+")


@dataclass
class ScoredSentence:
    passage: Passage
    span: Span
    text: str
    score: float


def _answer_type_bonus(question: str, sentence: str) -> float:
    """A push towards sentences holding the kind of thing the question asks for, and not only
    restating the question (a name the question already gives is no answer to "who")."""
    first = (words(question) or [""])[0]
    lowered = question.lower()
    if first == "when" or "what date" in lowered or "what day" in lowered:
        pattern = DATE_LIKE
    elif "how many" in lowered or "how much" in lowered:
        pattern = NUMBER_LIKE
    elif first in ("who", "whom", "whose"):
        pattern = NAME_LIKE
    elif first == "where":
        pattern = PLACE_LIKE
    else:
        return 0.0
    new = [m.group() for m in pattern.finditer(sentence) if m.group().lower() not in lowered]
    return 0.08 if new else 0.0


def _question_weights(question: str) -> dict[str, float]:
    """Question terms, with names (capitalised past the first word) counting double."""
    weights: dict[str, float] = {}
    tokens = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", question)
    for i, token in enumerate(tokens):
        for term in terms(token):
            weight = 2.0 if i > 0 and token[:1].isupper() else 1.0
            weights[term] = max(weights.get(term, 0.0), weight)
    return weights


def lexical_overlap(weights: dict[str, float], sentence_terms: set[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in sentence_terms) / total if total else 0.0


class ExtractiveAnswerer:
    """Scores = semantic similarity (question vs sentence) blended with lexical evidence."""

    def __init__(self, embedder: SentenceEmbedder, max_sentences: int = 2, abstain_below: float = 0.42,
                 semantic_weight: float = 0.6, context_discount: float = 0.85) -> None:
        if not 1 <= max_sentences <= 10:
            raise ValueError(f"max_sentences={max_sentences} must be between 1 and 10")
        if not 0.0 <= semantic_weight <= 1.0:
            raise ValueError(f"semantic_weight={semantic_weight} must be between 0 and 1")
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.abstain_below = abstain_below
        self.semantic_weight = semantic_weight
        self.context_discount = context_discount

    def score(self, question: str, search_query: str, passages: list[Passage]) -> list[ScoredSentence]:
        candidates: dict[tuple[str, int, int], ScoredSentence] = {}
        context: dict[tuple[str, int, int], str] = {}  # the sentence with the one before it
        for passage in passages:
            previous = ""
            for span in passage.sentences:
                key = (passage.article_id, span.start, span.end)
                text = passage.text[span.start - passage.start: span.end - passage.start]
                if key not in candidates:
                    candidates[key] = ScoredSentence(passage, span, text, 0.0)
                    context[key] = f"{previous} {text}" if previous else text
                previous = text
        sentences = list(candidates.values())
        if not sentences:
            return []
        windows = list(context.values())
        vectors = self.embedder.encode([search_query] + [s.text for s in sentences] + windows)
        own = vectors[1:len(sentences) + 1] @ vectors[0]
        # A sentence often names its subject only in the sentence before ("... the rescue team"):
        # read it with that context too, at a discount so that self-contained sentences win ties.
        in_context = vectors[len(sentences) + 1:] @ vectors[0]
        similarity = np.maximum(own, self.context_discount * in_context)
        weights = _question_weights(search_query)
        # A name the question asks about that no retrieved passage mentions is strong evidence of a miss.
        passage_terms = set().union(*(terms(p.text) for p in passages))
        names = [t for t, w in weights.items() if w > 1.0]
        missing_names = sum(t not in passage_terms for t in names)
        penalty = 0.75 ** missing_names
        for sentence, window, sim in zip(sentences, windows, np.asarray(similarity, dtype=float)):
            lexical = max(lexical_overlap(weights, set(terms(sentence.text))),
                          self.context_discount * lexical_overlap(weights, set(terms(window))))
            blended = self.semantic_weight * sim + (1 - self.semantic_weight) * lexical
            sentence.score = round(float((blended + _answer_type_bonus(question, sentence.text)) * penalty), 4)
        return sorted(sentences, key=lambda s: s.score, reverse=True)

    def passages_wanted(self, k: int) -> int:
        return k

    def stream(self, query: Query, passages: list[Passage]):
        answer = self.run(query, passages)
        yield TextDelta(answer.text)
        yield Done(answer)

    def run(self, query: Query, passages: list[Passage]) -> Answer:
        question, search_query = query.text, query.search_text
        ranked = self.score(question, search_query, passages)
        if not ranked or ranked[0].score < self.abstain_below:
            return Answer(ABSTAIN_TEXT, [], True, passages, question, search_query)
        best = ranked[0].score
        chosen = [s for s in ranked if s.score >= max(self.abstain_below, best - 0.06)][: self.max_sentences]
        citations: list[Citation] = []
        parts: list[str] = []
        for sentence in chosen:
            citation = cite(len(citations) + 1, sentence.passage, sentence.span, sentence.score)
            citations.append(citation)
            parts.append(with_marker(sentence.text, citation.n))
        return Answer(" ".join(parts), citations, False, passages, question, search_query)


def with_marker(sentence: str, n: int) -> str:
    """'… in Palmyra.' -> '… in Palmyra [1].' (a marker after closing quotes would read oddly)."""
    if sentence[-1:] in ".!?" and sentence[-2:-1] not in ".!?":
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]"
