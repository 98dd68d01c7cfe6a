"""The index's bookkeeping (manifest, file records, story signatures) as small SQLite files.

An update writes only the rows it changed, in one transaction, so its cost follows the change and not the
size of the archive (whole JSON files took most of adding one article at 100k passages). SQLite's rollback
journal with ``synchronous=FULL`` keeps the guarantee the atomic JSON files gave: a crash leaves the last
committed state. Each file has a ``meta`` table of JSON values beside its rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
Damaged = sqlite3.DatabaseError  # "file is not a database", "database disk image is malformed"


@contextmanager
def opened(path: Path, schema: str, fresh: bool = False) -> Iterator[sqlite3.Connection]:
    """The database at ``path`` with ``schema`` (created when missing). ``fresh``: start it empty, whatever
    was there (damaged or not); a crash before the first commit leaves it missing, which readers take as
    "rebuild". Statements run in the caller's ``with connection:`` block commit together."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for stale in (path, path.with_name(path.name + "-journal")):
            stale.unlink(missing_ok=True)
    with closing(sqlite3.connect(path, timeout=60)) as connection:
        connection.execute("PRAGMA synchronous=FULL")
        connection.executescript(META + schema)
        yield connection


@contextmanager
def existing(path: Path, schema: str) -> Iterator[sqlite3.Connection | None]:
    """Like :func:`opened` for reading: None when there is no file, so a read never creates one."""
    if not path.exists():
        yield None
        return
    with opened(path, schema) as connection:
        yield connection


def read_meta(connection: sqlite3.Connection) -> dict:
    return {key: json.loads(value) for key, value in connection.execute("SELECT key, value FROM meta")}


def write_meta(connection: sqlite3.Connection, **values: object) -> None:
    connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [(key, json.dumps(value, ensure_ascii=False)) for key, value in values.items()])


def save_changes(path: Path, schema: str, table: str, key: str, saved: dict[str, Any] | None,
                 current: dict[str, Any], row: Callable[[str, Any], tuple], **meta: object) -> None:
    """Make ``table`` hold ``current`` in one transaction, writing only what differs from ``saved`` (the
    rows as last read or written): gone keys are deleted, changed values replaced (``row`` gives a value's
    columns, its key first). ``saved`` None: the rows on disk are unknown, so the file starts anew."""
    before = saved if saved is not None else {}
    changed = [row(k, v) for k, v in current.items() if before.get(k) != v]
    with opened(path, schema, fresh=saved is None) as connection, connection:
        connection.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in before.keys() - current.keys()])
        if changed:
            marks = ", ".join("?" * len(changed[0]))
            connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", changed)
        write_meta(connection, **meta)
