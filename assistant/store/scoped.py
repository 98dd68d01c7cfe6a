"""Which chunks pass a question's filters, known without asking Chroma to filter.

Chroma answers ``get(ids=…, where=date range)`` by listing every chunk that passes the range, and a
filtered nearest-neighbour query by filtering its whole graph: on news-2024 (7,778 passages), asked as
of each quiz's day, the two took 168 ms and 42 ms a question against 10 ms for the whole unfiltered
answer (benchmarks/RESULTS.md). The manifest already holds each article's date, source and chunk
count, so the chunks that pass are a set computed once per index update; the nearest of a few hundred
of them are found by reading their vectors and one matrix product.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from ..records.article import chunk_id_of, file_of
from ..records.dates import date_number
from ..records.filters import Filters
from .manifest import ArticleEntry

BRUTE_FORCE_LIMIT = 2000  # up to this many passing chunks, their vectors are read (~3 ms for 71, 2 cores)
WIDE_SHARE = 0.25  # a filter at least this share of chunks pass: the unfiltered nearest, then filtered
KEPT_FILTERS = 16  # the chunks that pass, kept for this many filters (a day's questions share a few)


class ArticleFacts:
    """Each indexed article's date, source and chunk count, as of one index update (``stamp``); the chunks a
    filter lets through are kept for the next question with the same filter."""

    def __init__(self, stamp: str, articles: dict[str, ArticleEntry]) -> None:
        self.stamp = stamp
        self.total = sum(entry.chunks for entry in articles.values())
        self._articles = [(article_id, entry, date_number(entry.date)) for article_id, entry in articles.items()]
        self._passing: dict[Filters, frozenset[str]] = {}

    def passing(self, filters: Filters) -> frozenset[str]:
        """The ids of every chunk of an article that passes ``filters`` (an undated one fails a date bound,
        as it does in Chroma's ``where``)."""
        if filters not in self._passing:
            if len(self._passing) >= KEPT_FILTERS:
                self._passing.pop(next(iter(self._passing)))
            self._passing[filters] = frozenset(self._chunks_passing(filters))
        return self._passing[filters]

    def articles_passing(self, filters: Filters) -> list[tuple[str, ArticleEntry]]:
        """Each article that passes ``filters``, newest first (a briefing lists them, it does not search)."""
        passing = [(article_id, entry, day) for article_id, entry, day in self._articles
                   if _passes(article_id, entry, day, filters)]
        passing.sort(key=lambda row: (row[2] or 0, row[0]), reverse=True)
        return [(article_id, entry) for article_id, entry, _ in passing]

    def _chunks_passing(self, filters: Filters) -> Iterator[str]:
        for article_id, entry, day in self._articles:
            if _passes(article_id, entry, day, filters):
                yield from (chunk_id_of(article_id, n) for n in range(entry.chunks))


def _passes(article_id: str, entry: ArticleEntry, day: int | None, filters: Filters) -> bool:
    low, high = filters.lowest, filters.highest
    if filters.sources and not set(filters.sources) & {entry.source, article_id, file_of(article_id)}:
        return False
    return (low is None and high is None) or (
        day is not None and (low is None or day >= low) and (high is None or day <= high))


def nearest_among(vector: np.ndarray, ids: list[str], vectors: Iterable[np.ndarray], n: int
                  ) -> list[tuple[str, float]]:
    """The ``n`` of ``ids`` whose vectors are nearest ``vector``, as (id, cosine similarity), best first."""
    rows = np.asarray(list(vectors), dtype=np.float32)
    if not len(ids) or rows.size == 0:
        return []
    query = np.asarray(vector, dtype=np.float32)
    cosines = rows @ query / np.clip(np.linalg.norm(rows, axis=1) * np.linalg.norm(query), 1e-12, None)
    order = np.argsort(-cosines, kind="stable")[:n]
    return [(ids[i], float(cosines[i])) for i in order]
