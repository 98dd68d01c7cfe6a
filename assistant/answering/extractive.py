"""Answer (default, no LLM): the sentences that answer what was asked, cited, led by the short answer.

Sentences of the retrieved passages are ranked by meaning (embeddings), by the question's words they
share (rare words weigh more) and by whether they hold a span of the asked kind that the question
does not already give. The best ranked sentence that holds the question's specifics answers; when
none does, the answerer abstains. It abstains too when the sentence read as most about the question
says the contrary of one of its words: the question rests on a premise the articles contradict, and
a weaker sentence would answer some other question.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np

from ..errors import BadValueError
from ..records.answer import Answer
from ..records.article import Passage
from ..records.dates import date_number
from ..records.events import AnswerEvent
from ..records.query import Kind, Query
from ..store.packing import sentence_vectors_of
from ..text.terms import stem_variants, terms
from .base import told_at_once
from .checker import AnswerChecker
from .citing import cite
from .contrary import contradicted
from .disagree import COUNT_TERMS, answers_the_same, disagreement
from .evidence import Demands, Sentence, coverage, is_heading, lacks, weighted_terms
from .learned import LearnedScorer
from .question import Question
from .reader import SpanReader
from .short import best_span, short_answer
from .spans import counting
from .weights import WEIGHTS, Weights

ABSTAIN_TEXT = "The indexed articles don't say."


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


def passage_terms(passages: list[Passage]) -> dict[str, frozenset[str]]:
    """Each retrieved passage's words (title and text), read once per question."""
    return {p.chunk_id: frozenset(terms(f"{p.title} {p.text}")) for p in passages}


def sentences_of(passages: list[Passage], question: Question, words: dict[str, frozenset[str]]) -> list[Sentence]:
    """Each retrieved sentence once (passages overlap), with the sentence before it, read for this
    question; no headings. ``words``: :func:`passage_terms` of the passages."""
    seen: dict[tuple[str, int, int], Sentence] = {}
    variants = stem_variants(question.terms, frozenset().union(*words.values()))  # "retaliatory" for "retaliation"

    def read(text: str) -> frozenset[str]:
        own = frozenset(terms(text))
        return own | {term for term, forms in variants.items() if forms & own} if variants else own

    for passage in passages:
        previous_key: tuple[str, int, int] | None
        previous_terms: frozenset[str]
        previous, previous_key, previous_terms = "", None, frozenset()
        title_terms = frozenset(terms(passage.title))
        stored = sentence_vectors_of(passage)
        for i, span in enumerate(passage.sentences):
            text = passage.text[span.start - passage.start: span.end - passage.start]
            key = (passage.article_id, span.start, span.end)
            own = read(text)  # read once: this sentence's words, then the next one's context
            if key not in seen and not is_heading(text, passage.title):
                seen[key] = Sentence(passage, span, text, previous, own, previous_terms | title_terms,
                                     words[passage.chunk_id], question, previous_key,
                                     stored[i] if stored is not None and i < len(stored) else None)
            previous, previous_key, previous_terms = text, key, own
    return list(seen.values())


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.clip(np.linalg.norm(rows, axis=-1, keepdims=True), 1e-12, None)


@dataclass(eq=False)  # compared and hashed by identity, like the component it is
class ExtractiveAnswerer:
    """``run(question, passages)`` -> a cited :class:`Answer`, or the abstention."""

    embedder: Encoder
    max_sentences: int = 3
    weights: Weights = WEIGHTS  # every number it ranks, checks and cuts with (answering/weights.py)
    consider: int = 3
    scorer: LearnedScorer | None = None  # fitted on squad2-train: re-scores the rules' best (learned.py)
    checker: AnswerChecker | None = None  # the trained cross-encoder, one of the scorer's features
    reader: SpanReader | None = None  # the trained span reader: the short answer where the rules find none

    def __post_init__(self) -> None:
        if not 1 <= self.max_sentences <= 3:
            raise BadValueError(f"max_sentences={self.max_sentences} must be between 1 and 3")
        if not 0.0 <= self.weights.semantic_weight <= 1.0:
            raise BadValueError(f"semantic_weight={self.weights.semantic_weight} must be between 0 and 1")

    def rank(self, question: Question, searched: Question, sentences: list[Sentence],
             top: int | None = None) -> list[Sentence]:
        """Score every sentence for this question, best first; the condensed query (history) counts a little.

        With ``top``, only the best ``top``: a sentence's spans, the slowest thing read in it, are then found
        only while it can still reach them (its score without them, plus the most they can add).
        """
        base = self._base_scores(question, searched, sentences)
        if question.kind is None:
            scored = list(range(len(sentences)))
            for i in scored:
                sentences[i].score = round(base[i], 4)
        else:
            best: list[float]
            scored, best = [], []  # best: a min-heap of the ``top`` best scores so far
            most = self.weights.span_bonus + (self.weights.counted_bonus if question.counted else 0.0)
            for i in sorted(range(len(sentences)), key=base.__getitem__, reverse=True):
                if top and len(best) >= top and best[0] > round(base[i] + most, 4):
                    break
                sentence = sentences[i]
                sentence.score = round(base[i] + _span_bonus(question, sentence, self.weights), 4)
                scored.append(i)
                (heapq.heappushpop if top and len(best) >= top else heapq.heappush)(best, sentence.score)
        order = sorted(scored, key=lambda i: (-sentences[i].score, i))  # ties keep the passages' order
        return [sentences[i] for i in order[:top]]

    def _base_scores(self, question: Question, searched: Question, sentences: list[Sentence]) -> list[float]:
        """Meaning and shared words, before any span of the asked kind is read (``searched``: the search text,
        which holds the conversation in a follow-up)."""
        queries = [question.text] + ([searched.text] if searched.text != question.text else [])
        unread = [s for s in sentences if s.vector is None]  # an index made before sentences were stored
        vectors = self.embedder.encode(queries + [s.text for s in unread])
        for sentence, vector in zip(unread, vectors[len(queries):]):
            sentence.vector = vector
        own = np.stack(cast("list[np.ndarray]", [s.vector for s in sentences])).astype(np.float32)  # all set now
        index: dict[tuple[str, int, int] | None, int] = {s.key: i for i, s in enumerate(sentences)}
        before = np.array([index.get(s.previous_key, i) for i, s in enumerate(sentences)])
        windows = _unit(own + own[before] * (before != np.arange(len(sentences)))[:, None])
        similarity = np.maximum(own @ vectors[0], self.weights.context_discount * (windows @ vectors[0]))
        weightings = [(weighted_terms(question), 1.0)]
        if len(queries) > 1:  # a follow-up: its own words lead, the conversation helps
            history = np.maximum(own @ vectors[1], self.weights.context_discount * (windows @ vectors[1]))
            similarity = np.maximum(similarity, self.weights.follow_up_share * history)
            weightings.append((weighted_terms(searched), self.weights.follow_up_share))
        scores = []
        for sentence, sim in zip(sentences, similarity.tolist()):
            lexical = max(factor * max(coverage(weights, sentence.terms), self.weights.context_discount
                                       * coverage(weights, sentence.terms | sentence.context_terms))
                          for weights, factor in weightings)
            sentence.similarity, sentence.lexical = sim, lexical
            scores.append(self.weights.semantic_weight * sim + (1 - self.weights.semantic_weight) * lexical)
        return scores

    def passages_wanted(self, k: int) -> int:
        return k

    def stream(self, query: Query, passages: list[Passage]) -> Iterator[AnswerEvent]:
        """The whole text at once (nothing to wait for), then the Answer: the stream every answerer gives."""
        return told_at_once(self.run(query, passages))

    def candidates(self, query: Query, passages: list[Passage],
                   keep: Callable[[Sentence], bool] | None = None) -> Candidates:
        """The best few sentences for the question, each scored by the rules and with what it lacks: what
        :meth:`run` answers from, and what the learned scorer is fitted on (answering/training.py, which
        ``keep``s only the sentences outside a question's own paragraph to make unanswerable ones)."""
        asked = query.asked
        words = passage_terms(passages)
        sentences = [s for s in sentences_of(passages, asked, words) if keep is None or keep(s)]
        ranked = self.rank(asked, query.searched, sentences, top=self.consider * 3) if sentences else []
        retrieved = frozenset().union(*words.values())
        contrary = bool(ranked) and bool(contradicted(asked, ranked[0].text))
        demands = Demands.of(asked, retrieved)
        for sentence in ranked:  # what a sentence lacks lowers it
            sentence.lacking = lacks(demands, sentence, self.weights)
            lacking = sum(amount for _, amount in sentence.lacking.values())
            sentence.score = sentence.rules_score = round(sentence.score - self.weights.shortfall_weight * lacking, 4)
        return Candidates(sorted(ranked, key=lambda s: s.score, reverse=True), contrary)

    def run(self, query: Query, passages: list[Passage]) -> Answer:
        asked, question, search_query = query.asked, query.text, query.search_text
        found = self.candidates(query, passages)
        ranked = found.ranked
        if found.contrary:  # "the smallest" asked, "the largest" said
            return Answer(ABSTAIN_TEXT, [], True, passages, question, search_query)
        if self.scorer is not None:
            ranked = self.scorer.rescore(asked, ranked, self.checker)
            cut, margin = self.scorer.threshold, self.scorer.margin
        else:
            cut, margin = self.weights.abstain_below, self.weights.margin
        answering = [s for s in ranked[: self.consider] if s.score >= cut]
        if not answering:
            return Answer(ABSTAIN_TEXT, [], True, passages, question, search_query)
        if asked.kind is not None:  # a sentence that gives the asked thing leads one that restates the question
            answering.sort(key=lambda s: not s.spans)
        best = answering[0].score
        chosen = [s for s in answering if s.score >= best - margin][: self.max_sentences]
        if query.recent or current_figure(query):  # the newest answer may rank below the best few: any the rules pass
            passing = [s for s in found.ranked if s.rules_score >= self.weights.abstain_below] or chosen
            on_topic = [s for s in passing if answers_the_same(asked, s)] or passing
            chosen = newest_first(on_topic, chosen, self.max_sentences)
        citations = [cite(n, s.passage, s.span, s.score) for n, s in enumerate(chosen, 1)]
        short = short_answer(asked, chosen, citations, self.weights, self.reader)
        body = " ".join(with_marker(s.text, c.n) for s, c in zip(chosen, citations))
        text = short.lead(body) if short else body
        differ = disagreement(asked, found.ranked, citations, chosen, lambda s: best_span(asked, s, self.weights),
                              self.weights.abstain_below, lambda n, s: cite(n, s.passage, s.span, s.score))
        return Answer(text, citations, False, passages, question, search_query, short_answer=short,
                      disagreements=[differ] if differ else [])


@dataclass
class Candidates:
    """The sentences an answer is chosen from, best first, and whether the best says the contrary of the
    question (its premise is wrong: no answer)."""

    ranked: list[Sentence]
    contrary: bool


def _span_bonus(question: Question, sentence: Sentence, weights: Weights) -> float:
    """A span of the asked kind raises a sentence; a number that counts what "how many" asks for, more."""
    if not sentence.spans:
        return -weights.no_span_penalty
    counts = max(counting(question.counted, sentence.text, c) for c in sentence.spans) if question.counted else 0
    return weights.span_bonus + weights.counted_bonus * counts


def current_figure(query: Query) -> bool:
    """"What is the death toll?", "How many have died?" with no day named ask for the count now: the newest
    article's leads (the earlier ones show how it moved, see disagree.py); "... on Wednesday?" asks for that
    day's. A share or a sum ("How big was the pay rise?") is left to the best match: a newer article's figure
    is as often another quantity ("4 percent now") as a new value."""
    asked = query.asked
    counted = asked.counts_items or bool(asked.head and set(terms(asked.head)) & COUNT_TERMS)
    return asked.kind is Kind.NUMBER and counted and not (query.period and query.period.mentions)


def newest_first(answering: list[Sentence], chosen: list[Sentence], limit: int) -> list[Sentence]:
    """For "the latest toll": the newest article that holds an answer (a sentence above the abstention
    threshold, one with the asked kind of span when any has) leads, even when an older one matches the
    question's words better; the best matches follow, newest first. Undated sentences change nothing."""
    def day(sentence: Sentence) -> int:
        return date_number(sentence.passage.date) or 0

    pool = [s for s in answering if s.spans] or answering
    if not pool:
        return chosen
    newest = max(pool, key=day)
    if not day(newest):
        return chosen
    rest = sorted((s for s in chosen if s is not newest), key=day, reverse=True)
    return [newest, *rest][:limit]


def with_marker(sentence: str, n: int) -> str:
    """'… in Palmyra.' -> '… in Palmyra [1].' (a marker after closing quotes would read oddly)."""
    if sentence[-1:] in ".!?" and sentence[-2:-1] not in ".!?":
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]"
