"""An update reads only files that changed: unchanged files come from the record of the last read, and
every way a file can change (size, time, a same-size rewrite, the loader's code) makes it read again."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from assistant.ingest import load
from assistant.ingest.load import Duplicate, load_articles
from assistant.records.article import Article
from assistant.store import file_records as filecache
from assistant.store.file_records import FileCache, KnownArticle

from ..conftest import make_bot

LIMIT = 10**6
HOUR_AGO = time.time() - 3600


def write(folder: Path, name: str, text: str, when: float = HOUR_AGO) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when, when))  # older than the racy window, so its record is kept
    return path


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files the loader really reads and parses."""
    read: list[str] = []
    real = load.articles_from

    def parsing(data, path, article_id, *args, **kwargs):  # every read of a file, the indexer's too, parses
        read.append(article_id)
        return real(data, path, article_id, *args, **kwargs)

    monkeypatch.setattr(load, "articles_from", parsing)
    return read


def scan(folder: Path, cache_path: Path) -> tuple[list, list]:
    cache = FileCache.load(cache_path, LIMIT)
    loaded, problems = load_articles(folder, LIMIT, cache)
    cache.save()
    return loaded, problems


def test_unchanged_files_are_not_read_again(tmp_path: Path, reads: list[str]) -> None:
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    write(folder, "a.txt", "The harbour reopened on Monday.")
    write(folder, "sub/b.md", "The bridge will reopen in May.")
    first, _ = scan(folder, record)
    assert reads == ["a.txt", "sub/b.md"] and all(isinstance(a, Article) for a in first)
    again, _ = scan(folder, record)
    assert reads == ["a.txt", "sub/b.md"], "nothing changed, nothing read"
    assert [(a.id, a.content_hash) for a in again] == [(a.id, a.content_hash) for a in first]
    assert all(isinstance(a, KnownArticle) for a in again)


@pytest.mark.parametrize("change", ["longer", "same size, new time", "replaced by another file"])
def test_a_changed_file_is_read_again(tmp_path: Path, reads: list[str], change: str) -> None:
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    path = write(folder, "a.txt", "The harbour reopened on Monday.")
    scan(folder, record)
    if change == "longer":
        write(folder, "a.txt", "The harbour reopened on Monday, officials said.")
    elif change == "same size, new time":
        write(folder, "a.txt", "The harbour reopened on Friday.", when=HOUR_AGO + 60)
    else:
        write(folder, "new.txt", "The harbour reopened on Sunday.")
        os.replace(folder / "new.txt", path)  # same size and time, another inode
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    [article], _ = scan(folder, record)
    assert reads == ["a.txt", "a.txt"] and isinstance(article, Article)


def test_a_file_written_just_now_is_trusted_only_while_its_bytes_are_the_ones_read(tmp_path: Path,
                                                                                   reads: list[str]) -> None:
    """Its time cannot tell it from a rewrite in the same clock tick: its record keeps a digest of the bytes
    read, so the next update compares bytes instead of parsing the file again."""
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    path = write(folder, "a.txt", "The harbour reopened on Monday.", when=time.time())
    scan(folder, record)
    again, _ = scan(folder, record)
    assert reads == ["a.txt"] and isinstance(again[0], KnownArticle), "same bytes: not parsed again"
    written = path.stat().st_mtime_ns
    path.write_text("The harbour reopened on Friday.", encoding="utf-8")  # same size, and in the same tick:
    os.utime(path, ns=(written, written))
    [article], _ = scan(folder, record)
    assert reads == ["a.txt", "a.txt"] and "Friday" in article.text
    os.utime(path, (HOUR_AGO, HOUR_AGO))  # once old, its time tells, and the digest is dropped
    scan(folder, record)
    assert FileCache.load(record, LIMIT).records["a.txt"].digest is None and reads == ["a.txt"] * 3


def test_records_of_other_loader_code_or_limits_are_dropped(tmp_path: Path, monkeypatch) -> None:
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    write(folder, "a.txt", "The harbour reopened on Monday.")
    scan(folder, record)
    assert FileCache.load(record, LIMIT).records
    assert not FileCache.load(record, LIMIT + 1).records
    monkeypatch.setattr(filecache, "loader_version", lambda: "a new reader")
    assert not FileCache.load(record, LIMIT).records
    record.write_text("{not a database")
    assert not FileCache.load(record, LIMIT).records
    scan(folder, record)  # a damaged record is replaced whole
    assert FileCache.load(record, LIMIT).records
    with closing(sqlite3.connect(record)) as db, db:
        db.execute("UPDATE files SET record = '[1]'")
    assert not FileCache.load(record, LIMIT).records


def test_a_save_writes_only_the_files_that_changed_and_forgets_removed_ones(tmp_path: Path) -> None:
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    for name in ("a.txt", "b.txt", "c.txt"):
        write(folder, name, f"The harbour reopened, said {name}.")
    scan(folder, record)
    before = row_ids(record)
    (folder / "c.txt").unlink()
    write(folder, "b.txt", "The harbour reopened on Friday, officials said.", when=HOUR_AGO + 60)
    scan(folder, record)
    after = row_ids(record)
    assert sorted(after) == ["a.txt", "b.txt"] and after["a.txt"] == before["a.txt"]  # an unchanged row stays
    assert after["b.txt"] != before["b.txt"]  # rewritten
    assert FileCache.load(record, LIMIT).records["b.txt"].mtime_ns == (folder / "b.txt").stat().st_mtime_ns


def row_ids(record: Path) -> dict[str, int]:
    with closing(sqlite3.connect(record)) as db:
        return dict(db.execute("SELECT name, rowid FROM files"))


def test_warnings_of_unchanged_files_are_still_reported(tmp_path: Path, reads: list[str]) -> None:
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    (folder).mkdir()
    (folder / "latin1.txt").write_bytes("Caf\xe9 owners in the harbour said business was back.".encode("latin-1"))
    os.utime(folder / "latin1.txt", (HOUR_AGO, HOUR_AGO))
    _, first = scan(folder, record)
    _, again = scan(folder, record)
    assert reads == ["latin1.txt"]
    assert first and [(p.path, p.reason, p.skipped) for p in again] == [(p.path, p.reason, p.skipped) for p in first]


def test_partly_read_files_are_always_read_again(tmp_path: Path, reads: list[str]) -> None:
    """A feed with a broken line keeps its last good version in the index until it is read whole."""
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    write(folder, "feed.jsonl", json.dumps({"title": "Harbour", "text": "The harbour reopened."}) + "\n{broken\n")
    _, problems = scan(folder, record)
    scan(folder, record)
    assert reads == ["feed.jsonl", "feed.jsonl"] and any(p.skipped for p in problems)


def test_duplicates_are_found_between_unchanged_and_new_files(tmp_path: Path) -> None:
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    write(folder, "b.txt", "The harbour reopened on Monday after the storm.")
    scan(folder, record)
    write(folder, "a.txt", "The  harbour reopened on MONDAY after the storm.")  # sorts first: it is kept
    loaded, problems = scan(folder, record)
    assert [a.id for a in loaded] == ["a.txt"]
    [duplicate] = [p for p in problems if isinstance(p, Duplicate)]
    assert duplicate.path == "b.txt" and duplicate.original == "a.txt"


def test_an_update_reads_only_what_changed_and_indexes_a_known_duplicate_when_its_original_goes(
        embedder, tmp_path: Path, reads: list[str]) -> None:
    folder = tmp_path / "articles"
    write(folder, "a.txt", "The harbour reopened on Monday after the storm, the port authority said.")
    write(folder, "b.txt", "The harbour reopened on Monday after the storm, the port authority said.")
    write(folder, "c.txt", "The bridge will reopen in May after repairs to its northern span.")
    bot = make_bot(embedder, folder, tmp_path / "index")
    assert bot.update_index().added == 2  # b.txt is a duplicate of a.txt
    reads.clear()
    assert bot.update_index().added == 0 and reads == []
    (folder / "a.txt").unlink()
    report = bot.update_index()
    assert reads == ["b.txt"], "the duplicate's text is needed now, and only its file is read"
    assert report.added == 1 and report.removed == 1
    assert bot.ask("When did the harbour reopen?").citations[0].article_id == "b.txt"
    reads.clear()
    assert bot.update_index(full=True).added == 2 and sorted(reads) == ["b.txt", "c.txt"]  # --full reads all


def test_a_file_that_failed_is_reported_again_without_being_parsed_until_it_changes(tmp_path: Path,
                                                                                     reads: list[str]) -> None:
    folder, record = tmp_path / "articles", tmp_path / "files.sqlite"
    write(folder, "good.md", "The harbour reopened on Monday.")
    write(folder, "bad.json", "{not json at all")
    _, first = scan(folder, record)
    assert reads == ["bad.json", "good.md"]
    [failed] = [p for p in first if p.path == "bad.json"]
    assert failed.skipped
    _, again = scan(folder, record)
    assert reads == ["bad.json", "good.md"], "the failed file is not parsed again"
    assert [(p.path, p.reason, p.skipped) for p in again] == [(failed.path, failed.reason, True)]
    write(folder, "bad.json", json.dumps({"title": "Flood", "text": "The river rose overnight in Varel."}))
    loaded, problems = scan(folder, record)
    assert reads[-1] == "bad.json" and problems == [] and {a.id for a in loaded} == {"good.md", "bad.json#1"}
