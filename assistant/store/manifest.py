"""The manifest: which article versions the index holds, so an update embeds only what changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DamagedManifest
from .sqlite_tables import Damaged, existing, read_meta, save_changes

SCHEMA = """CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT NOT NULL,
    chunks INTEGER NOT NULL, date TEXT, source TEXT);"""
COLUMNS = "id, hash, title, chunks, date, source"


@dataclass(frozen=True)  # the manifest saves an entry when it is replaced, so it is never changed in place
class ArticleEntry:
    hash: str
    title: str
    chunks: int
    date: str | None = None
    source: str | None = None


@dataclass
class Manifest:
    identity: dict = field(default_factory=dict)
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    updated_at: str | None = None
    _saved: dict[str, ArticleEntry] | None = field(default=None, repr=False, compare=False)  # as on disk

    @property
    def chunk_count(self) -> int:
        return sum(entry.chunks for entry in self.articles.values())

    @classmethod
    def from_records(cls, records: Iterable[dict], identity: dict, stamp: str | None) -> Manifest:
        """Rebuild from chunk metadata: an article counts only if all its chunks of one version are there."""
        seen: dict[str, tuple[dict, set[tuple[str, int]]]] = {}
        for meta in records:
            _, numbers = seen.setdefault(meta["article_id"], (meta, set()))
            numbers.add((meta.get("hash", ""), int(meta.get("number", -1))))
        articles = {}
        for article_id, (meta, numbers) in seen.items():
            expected = {(meta.get("hash", ""), n) for n in range(int(meta.get("chunks", -1)))}
            if meta.get("hash") and numbers == expected:
                articles[article_id] = ArticleEntry(meta["hash"], meta.get("title", article_id), len(expected),
                                                    meta.get("date"), meta.get("source"))
        return cls(identity=identity, articles=articles, updated_at=stamp)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            with existing(path, SCHEMA) as db:
                if db is None:
                    return cls()
                meta = read_meta(db)
                articles = {row[0]: ArticleEntry(*row[1:]) for row in db.execute(f"SELECT {COLUMNS} FROM articles")}
        except (Damaged, ValueError, TypeError) as error:
            raise DamagedManifest(path, error) from None
        return cls(meta.get("identity", {}), articles, meta.get("updated_at"), _saved=dict(articles))

    @staticmethod
    def dates(path: Path) -> list[str | None]:
        """Every indexed article's date, read alone: a question with a date range needs only these."""
        try:
            with existing(path, SCHEMA) as db:
                return [date for (date,) in db.execute("SELECT date FROM articles")] if db is not None else []
        except Damaged as error:
            raise DamagedManifest(path, error) from None

    def save(self, path: Path) -> None:
        """One transaction of the rows that changed since the manifest was read or last saved: a crash leaves
        the old manifest or the new one. A manifest not read from ``path`` replaces what is there."""
        save_changes(path, SCHEMA, "articles", "id", self._saved, self.articles,
                     lambda i, e: (i, e.hash, e.title, e.chunks, e.date, e.source),
                     identity=self.identity, updated_at=self.updated_at)
        self._saved = dict(self.articles)
