"""Lexical index: BM25 over the same chunks as the vector store, built once per update, not per query."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import bm25s

from .text import terms


class LexicalIndex:
    """bm25s scores; ``ids[i]`` is the chunk id of document ``i``."""

    def __init__(self, ids: list[str], model: bm25s.BM25 | None, stamp: str = "") -> None:
        self.ids = ids
        self.model = model
        self.stamp = stamp  # which index state this was built from (the manifest's update time)

    @classmethod
    def build(cls, records: Iterable[tuple[str, str]], stamp: str = "") -> LexicalIndex:
        ids: list[str] = []
        corpus: list[list[str]] = []
        for chunk_id, text in records:
            ids.append(chunk_id)
            corpus.append(terms(text) or ["\x00empty"])
        if not ids:
            return cls([], None, stamp)
        model = bm25s.BM25()
        model.index(corpus, show_progress=False)
        return cls(ids, model, stamp)

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        if self.model is None:
            return []
        tokens = [t for t in terms(query) if t in self.model.vocab_dict]
        if not tokens:
            return []
        documents, scores = self.model.retrieve([tokens], k=min(n, len(self.ids)), show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(documents[0], scores[0]) if s > 0]

    def save(self, folder: Path) -> None:
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(tmp / "bm25"))
        (tmp / "ids.json").write_text(json.dumps({"stamp": self.stamp, "ids": self.ids}), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        try:
            meta = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
            model = bm25s.BM25.load(str(folder / "bm25")) if meta["ids"] else None
        except (OSError, ValueError, KeyError):
            return None  # missing or damaged: the caller rebuilds it from the store
        return cls(meta["ids"], model, meta.get("stamp", ""))
