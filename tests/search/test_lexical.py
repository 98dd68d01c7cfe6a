"""BM25 (tantivy): ranks by content words, updates article by article, survives reopening, and never
re-tokenises or re-indexes the corpus when it answers a query (speed is measured in benchmarks/)."""

from __future__ import annotations

from pathlib import Path

import pytest
import tantivy

from assistant.search import bm25 as lexical
from assistant.search.bm25 import LexicalIndex

RECORDS = [
    ("seed::0", "Pentagon spokesperson Sean Parnell confirmed the attack in Palmyra."),
    ("seed::1", "The strikes originated from the Ash Shaddadi military base in Hasakeh province."),
    ("seed::2", "Emily Carter, a Middle East analyst at Columbia University, criticised the rhetoric."),
    ("other::0", "Super Bowl 50 was played at Levi's Stadium in Santa Clara, California."),
    ("empty::0", "the and of"),  # only stopwords: indexed as an empty document, never matched
]


@pytest.fixture
def index() -> LexicalIndex:
    return LexicalIndex.build(RECORDS, stamp="2025-01-01T00:00:00")


def test_ranks_by_content_words_with_light_stemming(index: LexicalIndex) -> None:
    hits = index.search("Who confirms attacks?", 3)
    assert hits[0][0] == "seed::0"  # 'confirms'/'confirmed' and 'attacks'/'attack' share stems
    assert all(score > 0 for _, score in hits)
    assert [cid for cid, _ in index.search("Where was Super Bowl 50 played?", 1)] == ["other::0"]
    assert index.search("Hasakeh province base", 5)[0][0] == "seed::1"


def test_queries_without_known_words_find_nothing(index: LexicalIndex) -> None:
    assert index.search("zebra quantum", 5) == []
    assert index.search("the and of", 5) == []
    assert index.search("", 5) == []


def test_asking_for_more_than_the_corpus_is_fine(index: LexicalIndex) -> None:
    hits = index.search("Palmyra Hasakeh Columbia Stadium", 50)
    assert {cid for cid, _ in hits} == {"seed::0", "seed::1", "seed::2", "other::0"}


def test_empty_index_answers_nothing_and_round_trips(tmp_path: Path) -> None:
    empty = LexicalIndex.build([], stamp="s", folder=tmp_path / "keywords")
    assert empty.search("Palmyra", 5) == []
    loaded = LexicalIndex.load(tmp_path / "keywords")
    assert loaded is not None and loaded.size == 0 and loaded.stamp == "s" and loaded.search("Palmyra", 5) == []


def test_reopened_from_disk_it_gives_the_same_answers(index: LexicalIndex, tmp_path: Path) -> None:
    folder = tmp_path / "keywords"
    LexicalIndex.build(RECORDS, stamp="old", folder=folder)
    saved = LexicalIndex.build(RECORDS, stamp=index.stamp, folder=folder)  # building over a folder replaces it
    loaded = LexicalIndex.load(folder)
    assert loaded is not None and loaded.stamp == saved.stamp and loaded.size == len(RECORDS)
    for query in ("Who confirmed the attack?", "Columbia analyst", "Levi's Stadium"):
        assert [c for c, _ in loaded.search(query, 3)] == [c for c, _ in index.search(query, 3)]


def test_an_update_touches_only_the_articles_it_names(tmp_path: Path) -> None:
    folder = tmp_path / "keywords"
    index = LexicalIndex.build(RECORDS, stamp="1", folder=folder)
    index.apply(["seed"], [("seed::0", "Sean Parnell denied the Palmyra report."), ("new::0", "The Orwell bridge.")],
                stamp="2")
    again = LexicalIndex.load(folder)
    assert again.stamp == "2" and again.size == len(RECORDS) - 3 + 2
    assert [c for c, _ in again.search("Hasakeh province", 5)] == []  # the old chunks of "seed" are gone
    assert again.search("denied Palmyra", 1)[0][0] == "seed::0" and again.search("Orwell", 1)[0][0] == "new::0"
    assert again.search("Super Bowl", 1)[0][0] == "other::0"  # untouched


def test_missing_or_damaged_folders_load_as_none(tmp_path: Path) -> None:
    assert LexicalIndex.load(tmp_path / "absent") is None
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "stamp.json").write_text("{not json", encoding="utf-8")
    assert LexicalIndex.load(tmp_path / "broken") is None


def test_search_tokenises_only_the_query_and_never_reindexes(index: LexicalIndex, monkeypatch) -> None:
    calls: list[str] = []
    real_terms = lexical.terms

    def counting_terms(text: str) -> list[str]:
        calls.append(text)
        return real_terms(text)

    def no_index(*args, **kwargs):
        raise AssertionError("the corpus was indexed again during a search")

    monkeypatch.setattr(lexical, "terms", counting_terms)
    monkeypatch.setattr(tantivy.Index, "writer", no_index)
    queries = ["Who confirmed the attack?", "Hasakeh", "Santa Clara stadium"]
    for query in queries:
        index.search(query, 3)
    assert calls == queries


def test_larger_corpus_keeps_exact_matches_on_top() -> None:
    filler = [(f"filler::{i}", f"Routine council meeting number {i} discussed parking and budgets.")
              for i in range(3000)]
    index = LexicalIndex.build([*filler, ("needle::0", "The Palmyra ambush was confirmed by Sean Parnell.")])
    assert index.search("Who confirmed the Palmyra ambush?", 5)[0][0] == "needle::0"
    assert len(index.search("council budgets", 30)) == 30


def test_rebuilding_beside_an_open_reader_replaces_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "bm25"
    LexicalIndex.build(RECORDS, "one", folder)
    for n in range(5):  # an open reader of the old index must never get in the way (CI once failed here)
        reader = LexicalIndex.load(folder)
        assert reader is not None
        rebuilt = LexicalIndex.build(RECORDS[:2], f"two-{n}", folder)
        assert rebuilt.stamp == f"two-{n}" and rebuilt.size == 2
        assert reader.search("Palmyra", 1)[0][0] == "seed::0"  # the reader keeps answering from the old files
    assert LexicalIndex.load(folder).size == 2
    assert [p.name for p in tmp_path.iterdir()] == ["bm25"]  # nothing left beside it


def test_a_failed_rebuild_leaves_the_old_index(tmp_path: Path) -> None:
    folder = tmp_path / "bm25"
    LexicalIndex.build(RECORDS, "one", folder)

    def broken():
        yield RECORDS[0]
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        LexicalIndex.build(broken(), "two", folder)
    kept = LexicalIndex.load(folder)
    assert kept.stamp == "one" and kept.size == len(RECORDS)
    assert [p.name for p in tmp_path.iterdir()] == ["bm25"]
