from __future__ import annotations

import pytest

from assistant.errors import DamagedManifest
from assistant.store.manifest import ArticleEntry, Manifest


def test_round_trip_and_atomic_save(tmp_path):
    path = tmp_path / "m.sqlite"
    manifest = Manifest({"model": "m"}, {"a.md": ArticleEntry("h", "A", 3, "2024-01-02", "Wire")}, "t1")
    manifest.save(path)
    assert Manifest.load(path) == manifest and manifest.chunk_count == 3
    assert [p.name for p in tmp_path.iterdir()] == ["m.sqlite"]  # no temp file left behind


def test_saves_write_the_changes_and_a_new_manifest_replaces_the_old(tmp_path):
    path = tmp_path / "m.sqlite"
    Manifest({"model": "m"}, {n: ArticleEntry("h", n, 1) for n in ("a", "b", "c")}, "t1").save(path)
    manifest = Manifest.load(path)
    del manifest.articles["a"]
    manifest.articles["b"] = ArticleEntry("h2", "B", 2)
    manifest.articles["d"] = ArticleEntry("h", "D", 1, "2024-01-03")
    manifest.updated_at = None  # an update in progress
    manifest.save(path)
    again = Manifest.load(path)
    assert again == manifest and sorted(again.articles) == ["b", "c", "d"] and again.chunk_count == 4
    assert sorted(Manifest.dates(path), key=str) == ["2024-01-03", None, None]
    Manifest({"model": "n"}, {"e": ArticleEntry("h", "E", 1)}, "t2").save(path)  # a rebuild: not read first
    assert Manifest.load(path) == Manifest({"model": "n"}, {"e": ArticleEntry("h", "E", 1)}, "t2")


def test_damaged_manifest_says_how_to_recover(tmp_path):
    (tmp_path / "m.sqlite").write_text("{not json")
    with pytest.raises(DamagedManifest, match="run 'assistant index' to rebuild it"):
        Manifest.load(tmp_path / "m.sqlite")


def test_rebuilt_from_store_metadata_keeps_only_complete_articles():
    records = [
        {"article_id": "a", "hash": "h1", "chunks": 2, "number": 0, "title": "A"},
        {"article_id": "a", "hash": "h1", "chunks": 2, "number": 1, "title": "A"},
        {"article_id": "b", "hash": "h2", "chunks": 3, "number": 0, "title": "B"},  # half written
        {"article_id": "c", "hash": "old", "chunks": 2, "number": 0, "title": "C"},  # two versions mixed
        {"article_id": "c", "hash": "new", "chunks": 2, "number": 1, "title": "C"},
    ]
    manifest = Manifest.from_records(records, {"model": "m"}, "stamp")
    assert list(manifest.articles) == ["a"] and manifest.articles["a"].chunks == 2
    assert manifest.updated_at == "stamp"
