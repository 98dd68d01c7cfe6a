"""The keyword index of a store has one owner: it hands retrieval the BM25 index that matches the store."""

from __future__ import annotations

import threading
from pathlib import Path

from .lexical import LexicalIndex
from .store import ChromaStore


class KeywordIndex:
    """The current :class:`LexicalIndex` of ``store``: replaced after this process's updates, reloaded (or
    rebuilt from the stored chunks) when another process's update changed the store's stamp."""

    def __init__(self, folder: Path, store: ChromaStore) -> None:
        self.folder = folder
        self.store = store
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()

    def current(self) -> LexicalIndex:
        stamp = self.store.stamp()
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

    def replace(self, index: LexicalIndex) -> None:
        """The index an update just built (and saved); the next search uses it without reloading."""
        self._index = index

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        return self.current().search(query, n)
