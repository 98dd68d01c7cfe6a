from __future__ import annotations

import pytest

from assistant.manifest import ArticleEntry, Manifest


def test_round_trip_and_atomic_save(tmp_path):
    path = tmp_path / "m.json"
    manifest = Manifest({"model": "m"}, {"a.md": ArticleEntry("h", "A", 3, "2024-01-02", "Wire")}, "t1")
    manifest.save(path)
    assert Manifest.load(path) == manifest and manifest.chunk_count == 3
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]  # no temp file left behind


def test_damaged_manifest_says_how_to_recover(tmp_path):
    (tmp_path / "m.json").write_text("{not json")
    with pytest.raises(ValueError, match="--full"):
        Manifest.load(tmp_path / "m.json")


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
