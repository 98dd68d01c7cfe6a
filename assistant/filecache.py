"""What the last update read from each article file, so the next one reads only files that changed.

A file is read again when its size, modification time or inode differ from the record, when it was
modified within ``RACY_SECONDS`` of being read (a write in the same clock tick could go unseen, as in
git's "racy" index entries), when the loader's code or the size limit changed, or on ``index --full``.
The record keeps what an update needs of an unchanged file without its text: each article's id and
content hash, and the keys duplicates are found by. It describes files, not the index, so a crash at
any point leaves it true; a missing or damaged record only means every file is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .atomic import write_atomically
from .reports import Problem

RACY_SECONDS = 2


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

    def matches(self, status: os.stat_result) -> bool:
        return (self.size, self.mtime_ns, self.inode) == (status.st_size, status.st_mtime_ns, status.st_ino)


@cache
def loader_version() -> str:
    """Changes with the code that turns files into articles: a new reader must not trust old records."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for source in sorted([package / "load.py", package / "dates.py", *(package / "readers").glob("*.py")]):
        digest.update(source.name.encode() + b"\x00" + source.read_bytes())
    return digest.hexdigest()[:16]


class FileCache:
    """``lookup`` a file's record if it still holds; ``remember`` what a read found; ``save`` once."""

    def __init__(self, path: Path, max_bytes: int, records: dict[str, FileRecord] | None = None) -> None:
        self.path = path
        self.identity = {"loader": loader_version(), "max_bytes": max_bytes}
        self.records = records or {}
        self._fresh: dict[str, FileRecord] = {}

    @classmethod
    def load(cls, path: Path, max_bytes: int) -> FileCache:
        """The saved records, or none when missing, damaged or written by other loader code or limits."""
        empty = cls(path, max_bytes)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("identity") != empty.identity:
                return empty
            records = {name: FileRecord(size, mtime, inode, [KnownArticle(*a) for a in articles], warnings)
                       for name, (size, mtime, inode, articles, warnings) in raw["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return empty
        return cls(path, max_bytes, records)

    def lookup(self, relative: str, status: os.stat_result) -> tuple[list[KnownArticle], list[Problem]] | None:
        """The articles and warnings of an unchanged file, or None when it must be read."""
        record = self.records.get(relative)
        if record is None or not record.matches(status):
            return None
        self._fresh[relative] = record
        return record.articles, [Problem(relative, reason, skipped=False) for reason in record.warnings]

    def remember(self, relative: str, status: os.stat_result, articles: list[KnownArticle],
                 warnings: list[Problem]) -> None:
        """Keep what a read of the file found, unless it changed too recently to be told apart by its time, or
        part of it was left out (it is read again, so the index keeps its last good version meanwhile)."""
        if time.time_ns() - status.st_mtime_ns < RACY_SECONDS * 1_000_000_000 or any(p.skipped for p in warnings):
            return
        self._fresh[relative] = FileRecord(status.st_size, status.st_mtime_ns, status.st_ino, articles,
                                           [p.reason for p in warnings])

    def save(self) -> None:
        """Keep the records of the files seen by this update (a file no longer there is forgotten)."""
        files = {name: [r.size, r.mtime_ns, r.inode, [list(vars(a).values()) for a in r.articles], r.warnings]
                 for name, r in sorted(self._fresh.items())}
        payload = {"identity": self.identity, "files": files}
        write_atomically(self.path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
