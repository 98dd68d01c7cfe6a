"""Retrieve: dense (Chroma) and lexical (BM25) hits fused by reciprocal rank, with metadata filters."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .dates import date_number
from .embedders import Embedder
from .keywords import KeywordIndex
from .records import Filters
from .store import ChromaStore
from .stories import StoryIndex
from .timeframe import wants_recent
from .types import Passage

RECENCY_WEIGHT = 0.1  # the newest passage may overtake one scoring up to ~10% higher, no further


def prefer_recent(scores: dict[str, float], passages: dict[str, Passage]) -> dict[str, float]:
    """Nudge scores towards newer articles: the newest date gets up to +RECENCY_WEIGHT, undated nothing.

    Multiplicative, so only passages whose scores are close change places.
    """
    dates = sorted({d for cid in scores if (d := date_number(passages[cid].date)) is not None})
    if len(dates) < 2:
        return scores
    rank = {d: i / (len(dates) - 1) for i, d in enumerate(dates)}
    return {
        cid: score * (1 + RECENCY_WEIGHT * rank.get(date_number(passages[cid].date), 0.0))
        for cid, score in scores.items()
    }


@dataclass(eq=False)  # compared and hashed by identity, like the component it is
class HybridRetriever:
    """Dense and keyword candidates (``candidates`` of each), fused by reciprocal rank with constant ``rrf_k``."""

    embedder: Embedder
    store: ChromaStore
    keywords: KeywordIndex
    candidates: int = 30
    rrf_k: int = 60
    stories: StoryIndex | None = None  # near-duplicate articles: one version of a story is kept

    def __post_init__(self) -> None:
        for name in ("candidates", "rrf_k"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name}={getattr(self, name)} must be at least 1")

    def run(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        filters = filters or Filters()
        vector = self.embedder.encode([query])[0]
        dense = self.store.query(vector, self.candidates, filters.where())
        stamp = self.store.stamp() or ""  # read once: the keyword index and the story book both follow it
        lexical_hits = self.keywords.current(stamp).search(query, self.candidates * (4 if filters else 1))
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
        ranked = sorted(fused, key=fused.get, reverse=True)
        best = self._one_version_per_story(ranked, by_id, k, stamp)
        return [replace(p, score=round(fused[p.chunk_id], 6)) for p in best]

    def _one_version_per_story(self, ranked: list[str], by_id: dict[str, Passage], k: int, stamp: str
                               ) -> list[Passage]:
        """The best ``k`` passages, never from two articles of one story (wire copy, the same release): the
        best-ranked version stands for the story, and carries the others (``Passage.carriers``)."""
        book = self.stories.current(stamp) if self.stories is not None else None
        if book is None:
            return [by_id[cid] for cid in ranked[:k]]
        version: dict[str, str] = {}  # story -> the article kept for it
        kept: list[Passage] = []
        for cid in ranked:
            passage = by_id[cid]
            if version.setdefault(book.story_of(passage.article_id), passage.article_id) != passage.article_id:
                continue
            kept.append(replace(passage, carriers=tuple(book.carriers(passage.article_id))))
            if len(kept) == k:
                break
        return kept
