"""Retrieve: dense (Chroma) and lexical (BM25) hits fused by reciprocal rank, with metadata filters."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..embedders import Embedder
from ..errors import BadValueError
from ..records.article import Passage, article_of, chunk_id_of
from ..records.dates import date_number
from ..records.filters import Filters
from ..records.query import Intent, Query
from ..store.chroma import ChromaStore
from ..text.time_words import wants_recent
from .keywords import KeywordIndex
from .stories import StoryBook, StoryIndex

RECENCY_WEIGHT = 0.1  # the newest passage may overtake one scoring up to ~10% higher, no further


def prefer_recent(scores: dict[str, float], passages: dict[str, Passage]) -> dict[str, float]:
    """Nudge scores towards newer articles: the newest date gets up to +RECENCY_WEIGHT, undated nothing.

    Multiplicative, so only passages whose scores are close change places.
    """
    dates = sorted({d for cid in scores if (d := date_number(passages[cid].date)) is not None})
    if len(dates) < 2:
        return scores
    rank: dict[int | None, float] = {d: i / (len(dates) - 1) for i, d in enumerate(dates)}  # None: undated
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
                raise BadValueError(f"{name}={getattr(self, name)} must be at least 1")

    def run(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        """The best ``k`` passages for a search text (as a Python user or LangChain asks for them)."""
        return self._search(query, k, filters or Filters(), wants_recent(query))

    def search(self, query: Query, k: int) -> list[Passage]:
        """The best ``k`` passages for a question already read: its search text, filters and wish for news.
        A briefing's are its period's leads (see :meth:`leads`)."""
        if query.intent is Intent.BRIEFING:
            return self.leads(query, k)
        return self._search(query.search_text, k, query.filters, query.recent)

    def leads(self, query: Query, k: int) -> list[Passage]:
        """A briefing reads where each article's news is told: the first passage of each article of the period,
        newest first, at most ``k`` stories (wire copies are one, carrying the others). With a topic, the ``k``
        passages that best match it come first, then the first passage of each of their articles."""
        stamp = self.store.stamp()
        book = self.stories.current(stamp or "") if self.stories is not None else None
        if not query.search_text:
            chosen = self._one_version_per_story(self.store.first_chunks(query.filters, stamp), k, book)
            return self._read(chosen, book)
        found = self._search(query.search_text, k, query.filters, query.recent)
        have = {p.chunk_id for p in found}
        firsts = dict.fromkeys(chunk_id_of(p.article_id, 0) for p in found)
        return found + self._read([chunk_id for chunk_id in firsts if chunk_id not in have], book)

    def _read(self, chunk_ids: list[str], book: StoryBook | None) -> list[Passage]:
        return [replace(p, carriers=tuple(book.carriers(p.article_id)) if book is not None else ())
                for p in self.store.get(chunk_ids)]

    def _search(self, query: str, k: int, filters: Filters, recent: bool) -> list[Passage]:
        """Fused by ids alone; only the passages kept are read from the store, in one call."""
        read_stamp = self.store.stamp()  # read once: the filters, the keyword index and the story book follow it
        stamp = read_stamp or ""
        similarity = dict(self.store.nearest(self.embedder.encode([query])[0], self.candidates, filters, read_stamp))
        lexical_hits = self.keywords.current(stamp).search(query, self.candidates * (4 if filters else 1))
        lexical = self.store.matching([chunk_id for chunk_id, _ in lexical_hits], filters,
                                      read_stamp)[: self.candidates]
        fused: dict[str, float] = {}
        for ranking in (list(similarity), lexical):
            for rank, chunk_id in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        read: dict[str, Passage] = {}
        if recent:  # needs every candidate's date
            read = {p.chunk_id: p for p in self.store.get(list(fused))}
            fused = prefer_recent({cid: score for cid, score in fused.items() if cid in read}, read)
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        book = self.stories.current(stamp) if self.stories is not None else None
        while True:  # repeats only when a chosen id has no record (left by a killed write): it is skipped
            chosen = self._one_version_per_story(ranked, k, book)
            read.update((p.chunk_id, p) for p in self.store.get([cid for cid in chosen if cid not in read]))
            lost = {cid for cid in chosen if cid not in read}
            if not lost:
                break
            ranked = [cid for cid in ranked if cid not in lost]
        return [replace(read[cid], score=round(fused[cid], 6), dense_score=similarity.get(cid),
                        carriers=tuple(book.carriers(read[cid].article_id)) if book is not None else ())
                for cid in chosen]

    @staticmethod
    def _one_version_per_story(ranked: list[str], k: int, book: StoryBook | None) -> list[str]:
        """The best ``k`` chunk ids, never from two articles of one story (wire copy, the same release): the
        best-ranked version stands for the story, and carries the others (``Passage.carriers``)."""
        if book is None:
            return ranked[:k]
        version: dict[str, str] = {}  # story -> the article kept for it
        kept: list[str] = []
        for cid in ranked:
            article = article_of(cid)
            if version.setdefault(book.story_of(article), article) != article:
                continue
            kept.append(cid)
            if len(kept) == k:
                break
        return kept
