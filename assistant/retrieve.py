"""Retrieve: dense (Chroma) and lexical (BM25) hits fused by reciprocal rank, with metadata filters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from .embed import SentenceEmbedder
from .lexical import LexicalIndex
from .store import ChromaStore, _date_number
from .types import Passage


@dataclass(frozen=True)
class Filters:
    """Keep passages of these sources (publisher or article path) and dates (ISO, inclusive)."""

    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and _date_number(value) is None:
                raise ValueError(f"{name}={value!r} is not a date like 2024-12-31")

    def __bool__(self) -> bool:
        return bool(self.sources or self.since or self.until)

    def where(self) -> dict | None:
        clauses: list[dict] = []
        if self.sources:
            clauses.append({"$or": [{"source": {"$in": list(self.sources)}},
                                    {"article_id": {"$in": list(self.sources)}}]})
        if self.since:
            clauses.append({"date_number": {"$gte": _date_number(self.since)}})
        if self.until:
            clauses.append({"date_number": {"$lte": _date_number(self.until)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, passage: Passage) -> bool:
        if self.sources and passage.source not in self.sources and passage.article_id not in self.sources:
            return False
        number = _date_number(passage.date)
        if (self.since or self.until) and number is None:
            return False
        if self.since and number < _date_number(self.since):
            return False
        return not (self.until and number > _date_number(self.until))


class HybridRetriever:
    def __init__(self, embedder: SentenceEmbedder, store: ChromaStore,
                 lexical: Callable[[], LexicalIndex], candidates: int = 30, rrf_k: int = 60) -> None:
        if candidates < 1:
            raise ValueError(f"candidates={candidates} must be at least 1")
        if rrf_k < 1:
            raise ValueError(f"rrf_k={rrf_k} must be at least 1")
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.candidates = candidates
        self.rrf_k = rrf_k

    def run(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        filters = filters or Filters()
        vector = self.embedder.encode([query])[0]
        dense = self.store.query(vector, self.candidates, filters.where())
        lexical_hits = self.lexical().search(query, self.candidates * (4 if filters else 1))
        by_id = {p.chunk_id: p for p in dense}
        missing = [chunk_id for chunk_id, _ in lexical_hits if chunk_id not in by_id]
        by_id.update({p.chunk_id: p for p in self.store.get(missing)})
        lexical_ranked = [cid for cid, _ in lexical_hits if cid in by_id and filters.accepts(by_id[cid])]
        fused: dict[str, float] = {}
        for ranking in ([p.chunk_id for p in dense], lexical_ranked[: self.candidates]):
            for rank, chunk_id in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        best = sorted(fused, key=fused.get, reverse=True)[:k]
        return [replace(by_id[cid], score=round(fused[cid], 6)) for cid in best]


class NewsRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain retriever, for use in users' own chains."""

    retriever: Any
    k: int = 5
    filters: Any = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[Document]:
        return [
            Document(
                page_content=p.text,
                id=p.chunk_id,
                metadata={k: v for k, v in vars(p).items() if k not in ("text", "sentences") and v is not None},
            )
            for p in self.retriever.run(query, self.k, self.filters)
        ]
