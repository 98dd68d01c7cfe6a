"""Retrieve: dense (Chroma) and lexical (BM25) hits fused by reciprocal rank, with metadata filters."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from .embedders import Embedder
from .lexical import LexicalIndex
from .load import file_of
from .readers.dates import normalize_date
from .store import ChromaStore
from .types import Passage

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")  # "2024" or "2024-12": a whole year or month
RECENT_QUESTION = re.compile(
    r"\b(?:latest|most recent(?:ly)?|newest|recent(?:ly)?|lately|up[- ]to[- ]date|current(?:ly)?|so far)\b",
    re.IGNORECASE,
)
RECENCY_WEIGHT = 0.1  # the newest passage may overtake one scoring up to ~10% higher, no further


def _bound(value: str, upper: bool) -> int:
    """'2024-12' -> 20241200 as a lower bound, 20241299 as an upper one (a whole month, inclusive)."""
    digits = value.replace("-", "")
    return int(digits.ljust(8, "9" if upper else "0"))


def _day_number(date: str | None) -> int | None:
    digits = (date or "").replace("-", "")[:8]
    return int(digits) if len(digits) == 8 and digits.isdigit() else None


def _normalized_bound(name: str, value: str) -> str:
    """A bound as YYYY, YYYY-MM or YYYY-MM-DD; any date the loader reads is accepted ("Dec 13, 2024")."""
    value = value.strip()
    match = PARTIAL_DATE.match(value)
    if match:
        year, month = match.groups()
        if month and not 1 <= int(month) <= 12:
            raise ValueError(f"{name}={value!r} is not a date like 2024-12-31")
        return f"{year}-{int(month):02d}" if month else year
    try:
        normalized = normalize_date(value)
    except ValueError:
        normalized = None
    if normalized is None:
        raise ValueError(f"{name}={value!r} is not a date like 2024-12-31")
    return normalized


def wants_recent(question: str) -> bool:
    """Does the question ask for the latest news ("latest", "most recent", "so far")?"""
    return bool(RECENT_QUESTION.search(question))


@dataclass(frozen=True)
class Filters:
    """Keep passages of these sources (publisher, article id or file) and dates (inclusive).

    Dates may be whole years ("2024") or months ("2024-12"); other spellings are normalised.
    """

    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(s.strip() for s in self.sources if s and s.strip()))
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _normalized_bound(name, str(value)))
        if self.since and self.until and _bound(self.since, False) > _bound(self.until, True):
            raise ValueError(f"since={self.since} is after until={self.until}")

    def __bool__(self) -> bool:
        return bool(self.sources or self.since or self.until)

    def where(self) -> dict | None:
        clauses: list[dict] = []
        if self.sources:
            wanted = list(self.sources)
            clauses.append({"$or": [{"source": {"$in": wanted}}, {"article_id": {"$in": wanted}},
                                    {"file": {"$in": wanted}}]})
        if self.since:
            clauses.append({"date_number": {"$gte": _bound(self.since, False)}})
        if self.until:
            clauses.append({"date_number": {"$lte": _bound(self.until, True)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, passage: Passage) -> bool:
        if self.sources and not {passage.source, passage.article_id, file_of(passage.article_id)} & set(
                self.sources):
            return False
        number = _day_number(passage.date)
        if (self.since or self.until) and number is None:
            return False
        if self.since and number < _bound(self.since, False):
            return False
        return not (self.until and number > _bound(self.until, True))


def prefer_recent(scores: dict[str, float], passages: dict[str, Passage]) -> dict[str, float]:
    """Nudge scores towards newer articles: the newest date gets up to +RECENCY_WEIGHT, undated nothing.

    Multiplicative, so only passages whose scores are close change places.
    """
    dates = sorted({d for cid in scores if (d := _day_number(passages[cid].date)) is not None})
    if len(dates) < 2:
        return scores
    rank = {d: i / (len(dates) - 1) for i, d in enumerate(dates)}
    return {
        cid: score * (1 + RECENCY_WEIGHT * rank.get(_day_number(passages[cid].date), 0.0))
        for cid, score in scores.items()
    }


class HybridRetriever:
    def __init__(self, embedder: Embedder, store: ChromaStore,
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
        if wants_recent(query):
            fused = prefer_recent(fused, by_id)
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
