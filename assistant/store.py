"""Store: every Chroma quirk lives here (batch limits, metadata types, clients, identity)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from functools import cached_property
from urllib.parse import urlparse

import numpy as np

from .settings import Settings
from .types import Article, Chunk, Passage, Span

MAX_BATCH = 5000  # Chroma rejects a single add of more than ~5,400 records
IDENTITY_PREFIX = "assistant_"


def _date_number(date: str | None) -> int | None:
    """'2024-12-13' -> 20241213, so Chroma can filter date ranges with $gte/$lte."""
    digits = (date or "").replace("-", "")[:8]
    return int(digits.ljust(8, "0")) if digits.isdigit() and len(digits) >= 4 else None


class ChromaStore:
    """A Chroma collection of chunks with cosine distance; embeddings are always passed in."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    @cached_property
    def client(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        url = self.settings.chroma_url
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            if not parsed.hostname:
                raise ValueError(f"chroma_url {url!r} has no host")
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        self.settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self.settings.chroma_dir), settings=chroma_settings)

    @cached_property
    def collection(self):
        # embedding_function=None: Chroma's default would try to download an ONNX model.
        return self.client.get_or_create_collection(
            self.settings.collection, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def identity(self) -> dict:
        meta = self.collection.metadata or {}
        return {k[len(IDENTITY_PREFIX):]: v for k, v in meta.items() if k.startswith(IDENTITY_PREFIX)}

    def reset(self, identity: dict) -> None:
        """Drop every chunk and stamp the collection with the settings its vectors are made with."""
        with self._lock:
            from chromadb.errors import NotFoundError

            with contextlib.suppress(NotFoundError):  # absent collection: nothing to drop
                self.client.delete_collection(self.settings.collection)
            self.__dict__.pop("collection", None)
            self.collection = self.client.get_or_create_collection(
                self.settings.collection,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={IDENTITY_PREFIX + k: v for k, v in identity.items()},
            )

    def count(self) -> int:
        return self.collection.count()

    def add(self, article: Article, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for first in range(0, len(chunks), MAX_BATCH):
            batch = chunks[first:first + MAX_BATCH]
            self.collection.upsert(
                ids=[c.id for c in batch],
                embeddings=vectors[first:first + MAX_BATCH],
                documents=[c.text for c in batch],
                metadatas=[self._metadata(article, c) for c in batch],
            )

    @staticmethod
    def _metadata(article: Article, chunk: Chunk) -> dict:
        meta = {
            "article_id": article.id,
            "title": article.title,
            "number": chunk.number,
            "start": chunk.start,
            "end": chunk.end,
            "sentences": json.dumps([[s.start, s.end] for s in chunk.sentences]),
            "date": article.date,
            "date_number": _date_number(article.date),
            "source": article.source,
            "url": article.url,
        }
        return {k: v for k, v in meta.items() if v is not None}

    def delete_article(self, article_id: str) -> None:
        self.collection.delete(where={"article_id": article_id})

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[Passage]:
        n = min(n, self.count())
        if n <= 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector], n_results=n, where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            self._passage(i, d, m, 1.0 - dist)
            for i, d, m, dist in zip(result["ids"][0], result["documents"][0], result["metadatas"][0],
                                     result["distances"][0])
        ]

    def get(self, ids: list[str]) -> list[Passage]:
        if not ids:
            return []
        result = self.collection.get(ids=ids, include=["documents", "metadatas"])
        found = {i: self._passage(i, d, m, None) for i, d, m in
                 zip(result["ids"], result["documents"], result["metadatas"])}
        return [found[i] for i in ids if i in found]

    def records(self, page: int = 5000) -> Iterator[tuple[str, str, dict]]:
        """Every (id, document, metadata), paged, for rebuilding the lexical index."""
        offset = 0
        while True:
            result = self.collection.get(limit=page, offset=offset, include=["documents", "metadatas"])
            if not result["ids"]:
                return
            yield from zip(result["ids"], result["documents"], result["metadatas"])
            offset += len(result["ids"])

    @staticmethod
    def _passage(chunk_id: str, document: str, meta: dict, similarity: float | None) -> Passage:
        return Passage(
            chunk_id=chunk_id,
            article_id=meta["article_id"],
            title=meta.get("title", meta["article_id"]),
            text=document,
            start=int(meta["start"]),
            end=int(meta["end"]),
            sentences=[Span(s, e) for s, e in json.loads(meta.get("sentences", "[]"))],
            score=similarity or 0.0,
            dense_score=similarity,
            date=meta.get("date"),
            source=meta.get("source"),
            url=meta.get("url"),
        )
