"""What the last update read from each article file, so the next one reads only files that changed.

A file is read again when its size, modification time or inode differ from the record, when the
loader's code or the size limit changed, or on ``index --full``. A file modified within ``RACY_SECONDS``
of being read could change again in the same clock tick without its time changing (git's "racy" index
entries): its record keeps a digest of the bytes read, and the next update compares the file's bytes with
it (a read and a hash, not a parse) until the file is older than that.
The record keeps what an update needs of an unchanged file without its text: each article's id and
content hash, and the keys duplicates are found by. It describes files, not the index, so a crash at
any point leaves it true; a missing or damaged record only means every file is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ..records.reports import Problem
from .sqlite_tables import Damaged, existing, read_meta, save_changes

RACY_SECONDS = 2
SCHEMA = "CREATE TABLE IF NOT EXISTS files (name TEXT PRIMARY KEY, record TEXT NOT NULL);"


@dataclass(frozen=True)
class KnownArticle:
    """An article of an unchanged file, as the last read of it found it (its text is not kept)."""

    id: str
    content_hash: str
    text_key: str
    url_key: str | None = None


@dataclass
class FileRecord:
    size: int
    mtime_ns: int
    inode: int
    articles: list[KnownArticle] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # reasons of the file's non-fatal problems
    digest: str | None = None  # of the bytes read, while the file is too new for its time to be trusted
    failed: str | None = None  # why the file could not be used: it is not read again until it changes

    def matches(self, status: os.stat_result) -> bool:
        return (self.size, self.mtime_ns, self.inode) == (status.st_size, status.st_mtime_ns, status.st_ino)


def _racy(mtime_ns: int) -> bool:
    return time.time_ns() - mtime_ns < RACY_SECONDS * 1_000_000_000


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def loader_version() -> str:
    """Changes with the code that turns files into articles: a new reader must not trust old records."""
    package = Path(__file__).parents[1]
    ingest = package / "ingest"
    sources = [ingest / "load.py", package / "records" / "dates.py", *(ingest / "readers").glob("*.py")]
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda path: path.name):
        digest.update(source.name.encode() + b"\x00" + source.read_bytes())
    return digest.hexdigest()[:16]


class FileCache:
    """``lookup`` a file's record if it still holds; ``remember`` what a read found; ``save`` once."""

    def __init__(self, path: Path, max_bytes: int, records: dict[str, FileRecord] | None = None) -> None:
        self.path = path
        self.identity = {"loader": loader_version(), "max_bytes": max_bytes}
        self.records = records or {}
        self._fresh: dict[str, FileRecord] = {}
        self._saved: dict[str, FileRecord] | None = None  # the rows on disk, when read from there

    @classmethod
    def load(cls, path: Path, max_bytes: int) -> FileCache:
        """The saved records, or none when missing, damaged or written by other loader code or limits."""
        empty = cls(path, max_bytes)
        try:
            with existing(path, SCHEMA) as db:
                if db is None or read_meta(db).get("identity") != empty.identity:
                    return empty
                rows = db.execute("SELECT name, record FROM files").fetchall()
            decoded = json.loads(f"[{','.join(record for _, record in rows)}]")  # one call: 2x faster than a row each
            records = {name: FileRecord(size, mtime, inode, [KnownArticle(*a) for a in articles], warnings, *rest)
                       for (name, _), (size, mtime, inode, articles, warnings, *rest)
                       in zip(rows, decoded, strict=True)}
        except (Damaged, ValueError, KeyError, TypeError, AttributeError):
            return empty
        cache = cls(path, max_bytes, records)
        cache._saved = dict(records)
        return cache

    def lookup(self, relative: str, status: os.stat_result,
               path: str) -> tuple[list[KnownArticle], list[Problem]] | None:
        """The articles and warnings of an unchanged file, or None when it must be read. A record taken while
        the file was new holds only if the file's bytes are still the ones read (``path``: the file; a string,
        since a ``Path`` for each of thousands of unchanged files costs more than the listing)."""
        record = self.records.get(relative)
        if record is None or not record.matches(status):
            return None
        if record.digest is not None:
            try:
                if _digest(Path(path).read_bytes()) != record.digest:
                    return None
            except OSError:
                return None
            if not _racy(status.st_mtime_ns):  # old enough now: its time tells from here on
                record = replace(record, digest=None)
        self._fresh[relative] = record
        if record.failed is not None:
            return [], [Problem(relative, record.failed)]
        return record.articles, [Problem(relative, reason, skipped=False) for reason in record.warnings]

    def remember(self, relative: str, status: os.stat_result, articles: list[KnownArticle],
                 warnings: list[Problem], data: bytes) -> None:
        """Keep what a read of the file found (``data``: the bytes read), with their digest when the file is too
        new for its time to tell a later change; not when part of it was left out (it is read again, so the
        index keeps its last good version meanwhile)."""
        if any(p.skipped for p in warnings):
            return
        self._fresh[relative] = FileRecord(status.st_size, status.st_mtime_ns, status.st_ino, articles,
                                           [p.reason for p in warnings],
                                           _digest(data) if _racy(status.st_mtime_ns) else None)

    def remember_failure(self, relative: str, status: os.stat_result, reason: str, data: bytes | None) -> None:
        """Keep that the file could not be used, and why, so the next update reports it without parsing it
        again (a parser bomb costs its budget once); when it changes, it is read again. A file too new for
        its time to tell a change is remembered only with the digest of the bytes read."""
        racy = _racy(status.st_mtime_ns)
        if racy and data is None:
            return
        self._fresh[relative] = FileRecord(status.st_size, status.st_mtime_ns, status.st_ino, [], [],
                                           _digest(data) if racy and data is not None else None, reason)

    def save(self) -> None:
        """Keep the records of the files seen by this update (a file no longer there is forgotten), writing
        only the rows that changed; records not read from ``path`` replace what is there."""
        save_changes(self.path, SCHEMA, "files", "name", self._saved, self._fresh, lambda name, r: (
            name, json.dumps([r.size, r.mtime_ns, r.inode, [list(vars(a).values()) for a in r.articles], r.warnings,
                              *([r.digest, r.failed] if r.failed else [r.digest] if r.digest else [])],
                             ensure_ascii=False)), identity=self.identity)
        self._saved = dict(self._fresh)
