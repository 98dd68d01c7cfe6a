"""The records of an article on its way through the flow: the article, its chunks, a retrieved passage."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import numpy as np


def page_at(page_starts: list[int], offset: int) -> int:
    """1-based page holding ``offset``; an empty page shares its start with the next and loses the tie."""
    return max(1, bisect_right(page_starts, offset))


@dataclass(frozen=True)
class Span:
    """A stretch of an article's normalised text: ``text == article.text[start:end]``."""

    start: int
    end: int


# Query parameters that say how a reader arrived, not what the page is ("?utm_source=rss").
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref=", "cmpid")


def is_tracking(parameter: str) -> bool:
    return parameter.lower().startswith(TRACKING_PARAMETERS)


def without_tracking(url: str | None) -> str | None:
    """The URL a citation links to: the same page without its tracking parameters."""
    if not url or "?" not in url:
        return url
    parts = urlsplit(url)
    kept = "&".join(q for q in parts.query.split("&") if q and not is_tracking(q))
    return urlunsplit(parts._replace(query=kept))


@dataclass
class Article:
    """One article after loading: normalised text plus what we know about it (its URL without tracking
    parameters: a citation links to the page, not to how a feed reader reached it)."""

    id: str  # path relative to the articles folder, with forward slashes
    title: str
    text: str
    date: str | None = None  # ISO date, YYYY-MM-DD
    source: str | None = None  # publisher, when known
    url: str | None = None
    content_hash: str = ""
    author: str | None = None
    page_starts: list[int] | None = None  # PDFs: offset in ``text`` where each page begins

    def __post_init__(self) -> None:
        self.url = without_tracking(self.url)


@dataclass
class Chunk:
    """A passage of an article, sized for the embedding model, made of whole sentences."""

    id: str
    article_id: str
    number: int
    text: str
    start: int
    end: int
    sentences: list[Span] = field(default_factory=list)  # offsets in the article


@dataclass(frozen=True)
class Carrier:
    """Another article of the same story (a near-duplicate, see stories.py): who ran it, and when."""

    article_id: str
    title: str
    source: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass
class Passage:
    """A chunk as retrieved, with its article's metadata and the scores that ranked it."""

    chunk_id: str
    article_id: str
    title: str
    text: str
    start: int
    end: int
    sentences: list[Span]
    score: float  # fused score
    dense_score: float | None = None  # cosine similarity, when the dense retriever found it
    date: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    pages: list[tuple[int, int]] = field(default_factory=list)  # PDFs: (page number, offset it begins at)
    # Row i is the embedding of sentences[i], made when the passage was indexed (None: an older index).
    sentence_vectors: np.ndarray | None = field(default=None, repr=False, compare=False)
    packed_vectors: str | None = field(default=None, repr=False, compare=False)  # as stored: see packing.py
    carriers: tuple[Carrier, ...] = ()  # other articles of the same story (other outlets), see stories.py

    def page_of(self, offset: int) -> int | None:
        """The PDF page holding an article offset inside this passage; None when not a PDF."""
        if not self.pages:
            return None
        return self.pages[page_at([start for _, start in self.pages], offset) - 1][0]


def file_of(article_id: str) -> str:
    """The file an article came from: a feed's records are ``feed.jsonl#3``."""
    return article_id.split("#", 1)[0]


def chunk_id_of(article_id: str, number: int) -> str:
    """The id of an article's ``number``-th chunk (counted from 0)."""
    return f"{article_id}::{number}"


def article_of(chunk_id: str) -> str:
    """The article a chunk id (``"<article id>::<n>"``, see chunk.py) belongs to."""
    return chunk_id.rsplit("::", 1)[0]
