"""The manifest: which article versions the index holds, so an update embeds only what changed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomically


@dataclass
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
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            articles = {k: ArticleEntry(**v) for k, v in raw.get("articles", {}).items()}
        except (ValueError, TypeError) as error:
            raise ValueError(f"index manifest {path} is damaged ({error}); run 'assistant index --full'") from None
        return cls(identity=raw.get("identity", {}), articles=articles, updated_at=raw.get("updated_at"))

    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves the old manifest or the new one, never half of one."""
        data = {"identity": self.identity, "updated_at": self.updated_at,
                "articles": {k: vars(v) for k, v in sorted(self.articles.items())}}
        # compact: json's fast (C) encoder does not indent, and this is written after every batch
        write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
