"""Store: every Chroma quirk lives here (batch limits, metadata types, clients, identity)."""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import urlparse

import numpy as np

from ..errors import BadValueError, DamagedManifest
from ..records.article import Article, Chunk, Passage, Span, chunk_id_of, file_of
from ..records.dates import date_number
from ..records.filters import Filters
from ..settings import Settings
from .manifest import Manifest
from .packing import pack_vectors
from .pdf_pages import chunk_pages, parse_pages
from .scoped import BRUTE_FORCE_LIMIT, WIDE_SHARE, ArticleFacts, nearest_among

log = logging.getLogger(__name__)

MAX_BATCH = 5000  # Chroma rejects a single add of more than ~5,400 records
IDENTITY_PREFIX = "assistant_"
STAMP = "stamp"
# Chroma's default ef_search (100) missed the nearest chunk in 1 of 3 fresh processes on squad2-train's 732
# passages (the same vector, the same files); at 400 none of 11 did. Set when a collection is made.
HNSW = {"space": "cosine", "ef_search": 400}


_SWAPPING = threading.Lock()  # one client at a time swaps the decorator below


def _marked_as_override(method: Callable | None = None, **_checks: object) -> Callable:
    """``overrides.override`` without its checks: the mark ``EnforceOverrides`` reads, nothing else."""
    def mark(function: Callable) -> Callable:
        function.__override__ = True  # type: ignore[attr-defined]
        return function
    return mark(method) if method is not None else mark


@contextlib.contextmanager
def _without_signature_checks() -> Iterator[None]:
    """chromadb decorates ~160 methods with ``overrides.override``, which compares each signature with its
    base class's as the class is made: a development aid that took ~0.4 s of every command that opens the
    store (importing chromadb and opening the seed index from a cold process: median 1.0 s -> 0.6 s of 8
    runs each). While chromadb's modules load (the import, and the client, which loads more), the
    decorator only marks; it is put back after."""
    try:
        overrides: Any = importlib.import_module("overrides")  # Any: its functions are replaced below
        module: Any = importlib.import_module("overrides.overrides")  # the package's name "overrides" is a function
    except ImportError:  # a chromadb that no longer uses it
        yield
        return
    with _SWAPPING:
        saved = overrides.override, overrides.overrides, module.override, module.overrides
        overrides.override = overrides.overrides = module.override = module.overrides = _marked_as_override
        try:
            yield
        finally:
            overrides.override, overrides.overrides, module.override, module.overrides = saved


class ChromaStore:
    """A Chroma collection of chunks with cosine distance; embeddings are always passed in."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._facts: ArticleFacts | None = None  # which chunks pass a filter, as of one update (scoped.py)

    @cached_property
    def client(self):
        with _without_signature_checks():
            return self._open_client()

    def _open_client(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        url = self.settings.chroma_url
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            if not parsed.hostname:
                raise BadValueError(f"chroma_url {url!r} has no host")
            token = self.settings.chroma_token.get_secret_value() if self.settings.chroma_token else None
            try:
                return chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    headers={"Authorization": f"Bearer {token}", "X-Chroma-Token": token} if token else None,
                    settings=chroma_settings,
                )
            except (ValueError, ConnectionError) as error:
                raise BadValueError(f"could not reach the Chroma server at {url} ({error})") from None
        self.settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(self.settings.chroma_dir, os.W_OK) or _read_only(self.settings.chroma_dir):
            return chromadb.PersistentClient(path=self._readable_copy(), settings=chroma_settings)
        return chromadb.PersistentClient(path=str(self.settings.chroma_dir), settings=chroma_settings)

    def _readable_copy(self) -> str:
        """Chroma cannot open a folder it may not write (it writes as it opens): an index on read-only media
        is answered from a copy in a private temporary folder, made once per process."""
        copy = Path(tempfile.mkdtemp(prefix="news-assistant-read-only-")) / "chroma"
        shutil.copytree(self.settings.chroma_dir, copy)
        log.warning("the index folder %s is read-only: answering from a copy in %s", self.settings.chroma_dir, copy)
        return str(copy)

    @cached_property
    def collection(self):
        # embedding_function=None: Chroma's default would try to download an ONNX model.
        return self.client.get_or_create_collection(
            self.settings.collection, embedding_function=None, configuration={"hnsw": HNSW}
        )

    def _own_metadata(self) -> dict:
        # Read afresh: another process (or a client of the same server) may have changed it.
        self.collection  # noqa: B018 - creates the collection on first use
        meta = self.client.get_collection(self.settings.collection, embedding_function=None).metadata or {}
        return {k[len(IDENTITY_PREFIX):]: v for k, v in meta.items() if k.startswith(IDENTITY_PREFIX)}

    def identity(self) -> dict:
        return {k: v for k, v in self._own_metadata().items() if k != STAMP}

    def stamp(self) -> str | None:
        """When the last complete update finished; written last, so a crashed update leaves the old one."""
        return self._own_metadata().get(STAMP)

    def set_stamp(self, stamp: str) -> None:
        own = self._own_metadata() | {STAMP: stamp}
        self.collection.modify(metadata={IDENTITY_PREFIX + k: v for k, v in own.items()})

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
                configuration={"hnsw": HNSW},
                metadata={IDENTITY_PREFIX + k: v for k, v in identity.items()},
            )

    def count(self) -> int:
        return self.collection.count()

    def add_many(self, articles: list[tuple[Article, list[Chunk], np.ndarray, list[np.ndarray] | None]]) -> None:
        """Upsert the chunks of several articles in as few writes as Chroma allows. Each chunk carries its
        article's hash and chunk count, so that the manifest can be rebuilt from the store alone (after a
        crash, or by another client of a server), and its sentences' vectors, so that they are written,
        replaced and removed with it."""
        rows = []
        for article, chunks, vectors, sentence_vectors in articles:
            version = {"hash": article.content_hash, "chunks": len(chunks)}
            packed = [pack_vectors(v) for v in sentence_vectors] if sentence_vectors else [None] * len(chunks)
            rows += [(c, vector, self._metadata(article, c) | version | ({"sentence_vectors": p} if p else {}))
                     for c, vector, p in zip(chunks, vectors, packed)]
        for first in range(0, len(rows), MAX_BATCH):
            batch = rows[first:first + MAX_BATCH]
            self.collection.upsert(ids=[c.id for c, _, _ in batch], embeddings=np.stack([v for _, v, _ in batch]),
                                   documents=[c.text for c, _, _ in batch], metadatas=[m for _, _, m in batch])

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
            "date_number": date_number(article.date),
            "source": article.source,
            "url": article.url,
            "author": article.author,
            "file": file_of(article.id),  # a feed's records share their file, for filters
            "pages": chunk_pages(article, chunk.start, chunk.end),  # PDFs: where the chunk's pages begin
        }
        return {k: v for k, v in meta.items() if v is not None}

    def delete_articles(self, article_ids: list[str]) -> None:
        """Remove every chunk of these articles, in one write."""
        if article_ids:
            self.collection.delete(where={"article_id": {"$in": list(article_ids)}})

    def nearest(self, vector: np.ndarray, n: int, filters: Filters | None = None, stamp: str | None = None
                ) -> list[tuple[str, float]]:
        """The ``n`` chunks nearest the vector that pass ``filters``, as (id, cosine similarity), best first. Ids
        and distances only: reading the documents and metadata of all ``n`` costs more than the search
        (measured at 100k chunks: 5.5 ms against 1.9 ms), and only the few passages kept are read (``get``).
        A filter that few chunks pass reads their vectors instead (see :mod:`.scoped`). ``stamp``: the store's,
        when the caller has read it already (else it is read here)."""
        if n <= 0:  # Chroma 1.x returns what there is when asked for more, so no count() per question
            return []
        facts = self._facts_now(stamp) if filters else None
        if facts is not None and filters:
            passing = facts.passing(filters)
            if len(passing) <= BRUTE_FORCE_LIMIT:
                ids = sorted(passing)
                found = self.collection.get(ids=ids, include=["embeddings"]) if ids else {"ids": [], "embeddings": []}
                return nearest_among(vector, list(found["ids"]), found["embeddings"], n)
            if len(passing) >= WIDE_SHARE * facts.total:  # most pass: filter the unfiltered nearest
                wanted = int(n * facts.total / len(passing)) + n
                kept = [hit for hit in self._query(vector, wanted, None) if hit[0] in passing][:n]
                if len(kept) == n or wanted >= facts.total:
                    return kept
        return self._query(vector, n, filters.where() if filters else None)

    def _query(self, vector: np.ndarray, n: int, where: dict | None) -> list[tuple[str, float]]:
        result = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return [(i, 1.0 - dist) for i, dist in zip(result["ids"][0], result["distances"][0])]

    def matching(self, ids: list[str], filters: Filters | None, stamp: str | None = None) -> list[str]:
        """Those of ``ids`` whose chunks pass ``filters``, in the given order (``stamp`` as for :meth:`nearest`)."""
        if not ids or not filters:
            return list(ids)
        facts = self._facts_now(stamp)
        allowed = facts.passing(filters) if facts is not None else \
            set(self.collection.get(ids=ids, where=filters.where(), include=[])["ids"])
        return [i for i in ids if i in allowed]

    def article_text(self, article_id: str, chunks: int) -> str:
        """An article's whole text as indexed, from its ``chunks`` passages (they overlap by a sentence, and each
        knows where it stands in the article)."""
        text = ""
        for passage in sorted(self.get([chunk_id_of(article_id, n) for n in range(chunks)]), key=lambda p: p.start):
            text = text[:passage.start] + passage.text if passage.start <= len(text) else f"{text}\n\n{passage.text}"
        return text

    def first_chunks(self, filters: Filters, stamp: str | None = None) -> list[str]:
        """The first chunk of each article that passes ``filters``, newest article first: where its lead is."""
        facts = self._facts_now(stamp)
        if facts is not None:
            return [chunk_id_of(article_id, 0) for article_id, entry in facts.articles_passing(filters) if entry.chunks]
        where = filters.where()
        first = {"number": 0}
        found = self.collection.get(where={"$and": [where, first]} if where else first, include=["metadatas"])
        dated = sorted(zip(found["metadatas"], found["ids"]), key=lambda row: (row[0].get("date") or "", row[1]),
                       reverse=True)
        return [chunk_id for _, chunk_id in dated]

    def _facts_now(self, stamp: str | None = None) -> ArticleFacts | None:
        """Which chunks each article has, from the manifest, read once per index update; None when the manifest
        does not describe the store's last update (one is being written, or another client changed a server's
        store): then Chroma's filter decides."""
        stamp = stamp or self.stamp()
        if self._facts is None or self._facts.stamp != stamp:
            try:
                manifest = Manifest.load(self.settings.manifest_path)
            except DamagedManifest:
                return None
            if not stamp or manifest.updated_at != stamp:
                return None
            self._facts = ArticleFacts(stamp, manifest.articles)
        return self._facts

    def get(self, ids: list[str]) -> list[Passage]:
        """The passages of these ids, in the given order. After a process was killed mid-write, the
        vector index can hold ids whose record never reached the metadata store (Chroma 1.5, measured):
        they are left out."""
        if not ids:
            return []
        result = self.collection.get(ids=ids, include=["documents", "metadatas"])
        found = {i: self._passage(i, d, m) for i, d, m in
                 zip(result["ids"], result["documents"], result["metadatas"]) if d is not None and m is not None}
        return [found[i] for i in ids if i in found]

    @overload
    def records(self, documents: Literal[True] = True, metadatas: Literal[True] = True, page: int = 5000
                ) -> Iterator[tuple[str, str, dict]]: ...
    @overload
    def records(self, documents: Literal[True] = True, *, metadatas: Literal[False], page: int = 5000
                ) -> Iterator[tuple[str, str, None]]: ...
    @overload
    def records(self, documents: Literal[False], metadatas: Literal[True] = True, page: int = 5000
                ) -> Iterator[tuple[str, None, dict]]: ...
    @overload
    def records(self, documents: bool = True, metadatas: bool = True, page: int = 5000
                ) -> Iterator[tuple[str, str | None, dict | None]]: ...
    def records(self, documents: bool = True, metadatas: bool = True, page: int = 5000
                ) -> Iterator[tuple[str, str | None, dict | None]]:
        """Every (id, document, metadata), paged, for rebuilding the keyword index (documents only: the
        metadata holds the sentence vectors) or the manifest (metadata only)."""
        include = [name for name, wanted in (("documents", documents), ("metadatas", metadatas)) if wanted]
        offset = 0
        while True:
            result = self.collection.get(limit=page, offset=offset, include=include)
            if not result["ids"]:
                return
            nothing = [None] * len(result["ids"])
            yield from zip(result["ids"], result["documents"] if documents else nothing,
                           result["metadatas"] if metadatas else nothing)
            offset += len(result["ids"])

    @staticmethod
    def _passage(chunk_id: str, document: str, meta: dict) -> Passage:
        sentences = [Span(s, e) for s, e in json.loads(meta.get("sentences", "[]"))]
        return Passage(
            chunk_id=chunk_id,
            article_id=meta["article_id"],
            title=meta.get("title", meta["article_id"]),
            text=document,
            start=int(meta["start"]),
            end=int(meta["end"]),
            sentences=sentences,
            score=0.0,
            date=meta.get("date"),
            source=meta.get("source"),
            url=meta.get("url"),
            author=meta.get("author"),
            pages=parse_pages(meta["pages"]) if "pages" in meta else [],
            packed_vectors=meta.get("sentence_vectors"),  # decoded when the answerer reads the passage
        )


def _read_only(folder: Path) -> bool:
    """Whether the file system holding ``folder`` is mounted read-only (root may write anything else)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def write_failure(error: BaseException, folder: Path) -> str | None:
    """Why an update could not write the index, in words, when ``error`` is the storage failing (the disk
    full, the folder read-only, a database refusing a write), else None (a bug keeps its traceback)."""
    import sqlite3

    module = type(error).__module__
    if not (isinstance(error, OSError | sqlite3.Error) or module.startswith(("chromadb", "tantivy"))):
        return None
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    space = f"; {free / 1e6:,.1f} MB free there" if free is not None else ""
    return f"{type(error).__name__}: {error}{space}"
