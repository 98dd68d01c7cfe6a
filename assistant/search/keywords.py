"""The keyword index of a store has one owner: it hands retrieval the BM25 index that matches the store."""

from __future__ import annotations

import threading
from pathlib import Path

from ..store.chroma import ChromaStore
from .bm25 import LexicalIndex


class KeywordIndex:
    """The current :class:`LexicalIndex` of ``store``: reopened from disk when an update (of this process or
    another) changed the store's stamp; built in memory from the stored chunks while the files on disk
    do not match the store (an update in flight elsewhere, a damaged folder), never written from here."""

    def __init__(self, folder: Path, store: ChromaStore) -> None:
        self.folder = folder
        self.store = store
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()

    def current(self, stamp: str | None = None) -> LexicalIndex:
        """``stamp``: the store's, when the caller has just read it (retrieval reads it once a question)."""
        stamp = self.store.stamp() if stamp is None else stamp
        index = self._index
        if index is not None and index.stamp == stamp:
            return index
        with self._lock:
            if self._index is not None and self._index.stamp == stamp:
                return self._index
            loaded = LexicalIndex.load(self.folder)
            if loaded is None or loaded.stamp != stamp:
                loaded = LexicalIndex.build(((i, d) for i, d, _ in self.store.records(metadatas=False)), stamp or "")
            self._index = loaded
            return loaded

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        return self.current().search(query, n)
