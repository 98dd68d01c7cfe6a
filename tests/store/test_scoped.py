"""A filtered question knows which chunks pass from the manifest (Chroma's own filter listed every passing
chunk: 168 ms a question on news-2024), and finds the same passages Chroma's filter finds."""

from __future__ import annotations

import pytest

from assistant.records.filters import Filters
from assistant.store.manifest import ArticleEntry
from assistant.store.scoped import ArticleFacts, nearest_among

FILTERS = [
    Filters(since="2024-12-10", until="2024-12-12"),
    Filters(until="2024-12-11"),
    Filters(since="2024-12"),
    Filters(sources=("Harbour Post",)),
    Filters(sources=("2024-12-13-ferry.md",), since="2024-01-01"),
    Filters(since="2031-01-01"),
]


def test_the_chunks_that_pass_come_from_the_manifest() -> None:
    facts = ArticleFacts("s1", {
        "a.md": ArticleEntry("h", "A", 2, "2024-12-10", "Wire"),
        "b.md": ArticleEntry("h", "B", 1, "2024-12-14", "Post"),
        "feed.jsonl#3": ArticleEntry("h", "C", 1, None, "Feed"),
    })
    assert facts.total == 4
    assert facts.passing(Filters(until="2024-12-12")) == {"a.md::0", "a.md::1"}
    assert facts.passing(Filters(since="2024-12")) == {"a.md::0", "a.md::1", "b.md::0"}  # undated: never in range
    assert facts.passing(Filters(sources=("feed.jsonl",))) == {"feed.jsonl#3::0"}  # by its file
    assert facts.passing(Filters(sources=("Post",), since="2024-12-11")) == {"b.md::0"}


def test_the_nearest_among_a_few_are_by_cosine() -> None:
    found = nearest_among([1.0, 0.0], ["far", "near", "mid"], [[0.0, 2.0], [3.0, 0.1], [1.0, 1.0]], 2)
    assert [i for i, _ in found] == ["near", "mid"]
    assert found[0][1] == pytest.approx(0.9994, abs=1e-4)
    assert nearest_among([1.0, 0.0], [], [], 3) == []


def test_filtered_search_finds_what_chromas_filter_finds(story_bot) -> None:
    store = story_bot.store
    vector = story_bot.embedder.encode(["How many people died when the bridge collapsed?"])[0]
    assert store._facts_now() is not None  # the manifest describes the store: Chroma is not asked to filter
    for filters in FILTERS:
        ours = store.nearest(vector, 5, filters)
        chromas = store._query(vector, 5, filters.where())
        assert [i for i, _ in ours] == [i for i, _ in chromas], filters
        assert [s for _, s in ours] == pytest.approx([s for _, s in chromas], abs=1e-4)
        every = [cid for cid, _ in store._query(vector, 200, None)]
        allowed = set(store.collection.get(ids=every, where=filters.where(), include=[])["ids"])
        assert store.matching(every, filters) == [cid for cid in every if cid in allowed], filters


def test_a_manifest_of_another_update_leaves_the_filter_to_chroma(story_bot, monkeypatch) -> None:
    store = story_bot.store
    monkeypatch.setattr(store, "stamp", lambda: "an update the manifest has not seen")
    assert store._facts_now() is None
    vector = story_bot.embedder.encode(["bridge"])[0]
    filters = FILTERS[0]
    assert [i for i, _ in store.nearest(vector, 3, filters)] == [i for i, _ in store._query(vector, 3, filters.where())]
