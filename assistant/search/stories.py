"""One story, many outlets: near-duplicate articles (wire copy republished with small edits, the same press
release) found at index time with MinHash, so retrieval keeps one version and answers say who else ran it.

Each article gets a MinHash signature of its word 3-grams when it is indexed; a band of the signature
proposes pairs (LSH), and a pair is one story when its estimated Jaccard similarity reaches the
threshold. ``index/stories.sqlite`` keeps the signatures, stamped with the store state they match (like
the keyword index), so an update signs only the articles it changed and a mismatch rebuilds from the
store's passages.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import BadValueError
from ..records.article import Carrier
from ..records.dates import date_number, day_of_number
from ..store.sqlite_tables import Damaged, existing, opened, read_meta, write_meta
from ..text.terms import WORD

if TYPE_CHECKING:
    from ..store.chroma import ChromaStore

PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 similarity are nearly always proposed
SHINGLE_WORDS = 3
SCHEMA = """CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, signature BLOB NOT NULL, title TEXT,
    source TEXT, date TEXT, url TEXT);"""
_PRIME = np.uint64((1 << 61) - 1)
# a fixed seed: signatures are stored, and compared with those of later runs
_A, _B = np.random.default_rng(20241212).integers(1, 1 << 61, (2, PERMUTATIONS), dtype=np.uint64)


def signature(text: str) -> np.ndarray:
    """MinHash of the text's word 3-grams (case folded): ``PERMUTATIONS`` uint32 values."""
    words = WORD.findall(text.casefold())
    grams = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, grams)), dtype=np.uint64, count=len(grams))
    with np.errstate(over="ignore"):  # the hash family wraps around 2**64 by design
        permuted = (hashes[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    return (permuted.min(axis=0) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def similarity(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of two articles' 3-grams; of each pair of rows, for stacked signatures."""
    return (first == second).mean(axis=-1)


def carrier_of(article) -> Carrier:
    return Carrier(article.id, article.title, article.source, article.date, article.url)


def signed_from_records(records: Iterable[tuple[str, str, dict]]) -> list[tuple[Carrier, np.ndarray]]:
    """Signatures of stored articles, from their passages in order (``store.records()``), for a rebuild."""
    passages: dict[str, list[tuple[int, str]]] = defaultdict(list)
    about: dict[str, Carrier] = {}
    for _, text, meta in records:
        article_id = meta["article_id"]
        passages[article_id].append((int(meta.get("number", 0)), text or ""))
        about.setdefault(article_id, Carrier(article_id, meta.get("title", article_id), meta.get("source"),
                                             meta.get("date"), meta.get("url")))
    return [(about[i], signature(" ".join(text for _, text in sorted(parts)))) for i, parts in passages.items()]


def _proposed_pairs(matrix: np.ndarray) -> np.ndarray:
    """Pairs of rows (articles) that share a band, as (first, second) rows with first < second, each once.

    Each band's values are hashed to one number and sorted, so rows of a bucket lie side by side: every
    pair is found with whole-array operations, not a Python loop over articles (a hash collision only
    proposes a pair, which the signatures then reject)."""
    rows, found = PERMUTATIONS // BANDS, []
    wide = matrix.astype(np.uint64)
    for band in range(BANDS):
        key = np.zeros(len(matrix), dtype=np.uint64)
        with np.errstate(over="ignore"):  # wrapping around 2**64 is the hash
            for column in wide[:, band * rows:(band + 1) * rows].T:
                key = key * np.uint64(0x100000001B3) ^ column
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        for apart in range(1, len(order)):  # rows `apart` places apart in the sorted order, in one bucket
            same = np.flatnonzero(ordered[apart:] == ordered[:-apart])
            if not len(same):
                break
            found.append(np.sort(np.stack([order[same], order[same + apart]], axis=1), axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


class StoryBook:
    """Signatures of the indexed articles, and the stories they form (``story_of``, ``carriers``)."""

    def __init__(self, path: Path, threshold: float, stamp: str = "", signatures: dict[str, np.ndarray] | None = None,
                 about: dict[str, Carrier] | None = None, days: int = 3) -> None:
        if not 0.0 < threshold <= 1.0:
            raise BadValueError(f"near_duplicate_similarity={threshold} must be above 0 and at most 1")
        if days < 0:
            raise BadValueError(f"near_duplicate_days={days} must be 0 or more")
        self.path, self.threshold, self.stamp, self.days = path, threshold, stamp, days
        self.signatures = signatures or {}
        self.about = about or {}
        self._story: dict[str, str] | None = None

    @classmethod
    def load(cls, path: Path, threshold: float, days: int = 3) -> StoryBook:
        """The saved book; an empty one (stamp "") when it is missing or damaged, which the indexer rebuilds."""
        try:
            with existing(path, SCHEMA) as db:
                if db is None:
                    return cls(path, threshold, days=days)
                stamp = read_meta(db)["stamp"]
                rows = db.execute("SELECT id, signature, title, source, date, url FROM articles").fetchall()
        except (Damaged, ValueError, KeyError, TypeError):
            return cls(path, threshold, days=days)
        packed = b"".join(row[1] for row in rows)  # decoded at once: a call per article took most of a load
        if len(packed) != len(rows) * PERMUTATIONS * 4:
            return cls(path, threshold, days=days)
        matrix = np.frombuffer(packed, dtype=np.uint32).reshape(len(rows), PERMUTATIONS)
        signatures = {row[0]: vector for row, vector in zip(rows, matrix, strict=True)}
        about = {row[0]: Carrier(row[0], *row[2:]) for row in rows}
        return cls(path, threshold, stamp, signatures, about, days)

    @staticmethod
    def saved_stamp(path: Path) -> str:
        """The stamp of the saved book without reading its signatures ("" when missing or damaged)."""
        try:
            with existing(path, SCHEMA) as db:
                return read_meta(db).get("stamp", "") if db is not None else ""
        except (Damaged, ValueError):
            return ""

    def update(self, removed: Iterable[str], signed: Iterable[tuple[Carrier, np.ndarray]], stamp: str,
               replace: bool = False) -> None:
        """Apply an update's changes here and on disk, in one transaction of only the rows they touch; with
        ``replace``, the saved book becomes exactly this one (a rebuild)."""
        removed, signed = list(removed), list(signed)
        for article_id in removed:
            self.signatures.pop(article_id, None)
            self.about.pop(article_id, None)
        for carrier, sign in signed:
            self.signatures[carrier.article_id], self.about[carrier.article_id] = sign, carrier
        self.stamp, self._story = stamp, None
        rows = self.signatures if replace else {c.article_id: s for c, s in signed}
        with opened(self.path, SCHEMA, fresh=replace) as db, db:
            db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in removed])
            db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?)", [
                (i, sign.astype(np.uint32).tobytes(), self.about[i].title, self.about[i].source,
                 self.about[i].date, self.about[i].url) for i, sign in rows.items()])
            write_meta(db, stamp=stamp)

    def story_of(self, article_id: str) -> str:
        """The story an article belongs to: the id of its first article (itself when it stands alone)."""
        return self._stories()[0].get(article_id, article_id)

    def carriers(self, article_id: str) -> list[Carrier]:
        """The other articles of its story, oldest first."""
        members = self._stories()[1].get(self.story_of(article_id), [])
        others = [self.about[i] for i in members if i != article_id]
        return sorted(others, key=lambda c: (c.date or "9999", c.article_id))

    def _stories(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Each article's story, and the members of each story of more than one article."""
        if self._story is None:
            self._story = self._group()
            self._members: dict[str, list[str]] = defaultdict(list)
            for article_id, story in self._story.items():
                self._members[story].append(article_id)
        return self._story, self._members

    def _close_in_time(self, first: str, second: str) -> bool:
        """Published within ``days`` of each other when both are dated: copies of a story run within days,
        while daily items of one template (weather, results tables) do not."""
        one, other = [date_number(self.about[i].date) if i in self.about else None for i in (first, second)]
        if one is None or other is None:
            return True
        apart = abs((day_of_number(one) - day_of_number(other)).days)
        return apart <= self.days

    def _group(self) -> dict[str, str]:
        """Union of the pairs a band proposes and the signatures confirm (similar enough, close in time);
        only articles in a group."""
        parent = {i: i for i in self.signatures}
        if len(parent) < 2:
            return {}

        def root(i: str) -> str:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        ids = list(self.signatures)
        matrix = np.stack(list(self.signatures.values()))
        pairs = _proposed_pairs(matrix)
        similar = similarity(matrix[pairs[:, 0]], matrix[pairs[:, 1]]) >= self.threshold
        for first, second in pairs[similar].tolist():
            a, b = root(ids[first]), root(ids[second])
            if a != b and self._close_in_time(ids[first], ids[second]):
                parent[max(a, b)] = min(a, b)
        roots = {i: root(i) for i in parent}
        grouped = {r for i, r in roots.items() if r != i}
        return {i: r for i, r in roots.items() if r in grouped}


class StoryIndex:
    """The current :class:`StoryBook` of ``store``: reloaded when an update changed the store's stamp; empty
    (every article its own story) while the book on disk does not match the store, until an update signs it."""

    def __init__(self, path: Path, threshold: float, store: ChromaStore, days: int = 3) -> None:
        self.path, self.threshold, self.store, self.days = path, threshold, store, days
        self._book = StoryBook(path, threshold, days=days)

    def current(self, stamp: str | None = None) -> StoryBook:
        """``stamp``: the store's, when the caller has just read it (retrieval reads it once a question)."""
        stamp = (self.store.stamp() if stamp is None else stamp) or ""
        if self._book.stamp != stamp:
            loaded = StoryBook.load(self.path, self.threshold, self.days)
            fresh = loaded.stamp == stamp
            self._book = loaded if fresh else StoryBook(self.path, self.threshold, stamp, days=self.days)
        return self._book
