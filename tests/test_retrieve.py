"""Hybrid retrieval and the preference for newer articles, with fakes (no model, no Chroma)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieve import HybridRetriever, prefer_recent, wants_recent
from assistant.types import Passage


def passage(chunk_id: str, date: str | None, source: str = "Wire", article_id: str | None = None) -> Passage:
    return Passage(chunk_id=chunk_id, article_id=article_id or chunk_id.split("::")[0], title=chunk_id, text="t",
                   start=0, end=1, sentences=[], score=0.0, date=date, source=source)


class FakeEmbedder:
    def encode(self, texts):
        return np.ones((len(texts), 3), dtype=np.float32)


class FakeStore:
    """Dense hits in a fixed order; ``where`` is ignored, as these tests do not filter."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages

    def query(self, vector, n, where=None):
        return self.passages[:n]

    def stamp(self):
        return "stamp"

    def get(self, ids):
        return [p for p in self.passages if p.chunk_id in ids]


class NoKeywords:
    def current(self, stamp):
        return self

    def search(self, query, n):
        return []


def retriever(passages: list[Passage]) -> HybridRetriever:
    return HybridRetriever(FakeEmbedder(), FakeStore(passages), NoKeywords(), candidates=10)


@pytest.mark.parametrize(("question", "expected"), [
    ("What is the latest on the fire?", True), ("most recent death toll", True), ("How many so far?", True),
    ("Who confirmed the attack?", False), ("When did the first strike happen?", False),
    ("What is the death toll now?", True), ("What is known about the fire?", False),
])
def test_recency_questions_are_recognised(question: str, expected: bool):
    assert wants_recent(question) is expected


def test_latest_question_lifts_a_close_newer_passage_but_not_a_distant_one():
    old, new, undated = passage("old.txt::0", "2025-01-08"), passage("new.txt::0", "2025-01-10"), passage("u::0", None)
    ranked = [p.article_id for p in retriever([old, new, undated]).run("latest acres burned", k=3)]
    assert ranked == ["new.txt", "old.txt", "u"]
    neutral = [p.article_id for p in retriever([old, new, undated]).run("acres burned", k=3)]
    assert neutral == ["old.txt", "new.txt", "u"]  # without "latest", rank order stands
    scores = prefer_recent({"a": 1.0, "b": 0.5}, {"a": passage("a", "2020-01-01"), "b": passage("b", "2025-01-01")})
    assert scores["a"] > scores["b"]  # far apart in score: recency does not overturn relevance
