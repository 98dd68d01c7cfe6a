"""Hybrid retrieval and the preference for newer articles, with fakes (no model, no Chroma)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.records.article import Passage
from assistant.search.hybrid import HybridRetriever, prefer_recent
from assistant.text.time_words import wants_recent


def passage(chunk_id: str, date: str | None, source: str = "Wire", article_id: str | None = None) -> Passage:
    return Passage(chunk_id=chunk_id, article_id=article_id or chunk_id.split("::")[0], title=chunk_id, text="t",
                   start=0, end=1, sentences=[], score=0.0, date=date, source=source)


class FakeEmbedder:
    def encode(self, texts):
        return np.ones((len(texts), 3), dtype=np.float32)


class FakeStore:
    """Dense hits in a fixed order; ``filters`` are ignored, as these tests do not filter."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.read: list[list[str]] = []  # the ids of each get()

    def nearest(self, vector, n, filters=None, stamp=None):
        return [(p.chunk_id, 1.0 - i / 100) for i, p in enumerate(self.passages[:n])]

    def matching(self, ids, filters, stamp=None):
        return list(ids)

    def stamp(self):
        return "stamp"

    def get(self, ids):
        self.read.append(list(ids))
        found = {p.chunk_id: p for p in self.passages}
        return [found[i] for i in ids if i in found]


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


def test_only_the_passages_kept_are_read_and_an_id_without_a_record_is_skipped():
    hits = [passage(f"a{n}.txt::0", None) for n in range(8)]
    store = FakeStore(hits)
    found = HybridRetriever(FakeEmbedder(), store, NoKeywords(), candidates=8).run("acres burned", k=3)
    assert [p.chunk_id for p in found] == ["a0.txt::0", "a1.txt::0", "a2.txt::0"]
    assert store.read == [["a0.txt::0", "a1.txt::0", "a2.txt::0"]]  # one read, of the three kept
    assert found[0].dense_score == 1.0 and found[0].score > found[1].score
    store.passages, store.read = hits, []
    del hits[1]  # the vector index still lists it (a killed write), the record is gone
    store.nearest = lambda vector, n, filters=None, stamp=None: [(f"a{n}.txt::0", 1.0) for n in range(8)]
    found = HybridRetriever(FakeEmbedder(), store, NoKeywords(), candidates=8).run("acres burned", k=3)
    assert [p.chunk_id for p in found] == ["a0.txt::0", "a2.txt::0", "a3.txt::0"]
    assert store.read == [["a0.txt::0", "a1.txt::0", "a2.txt::0"], ["a3.txt::0"]]
