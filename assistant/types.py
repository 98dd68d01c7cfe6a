"""Typed records that travel through the flow, from the article file to the page."""

from __future__ import annotations

import warnings
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from .article_dates import DatedPhrase, dated_phrases
from .coverage import Coverage, coverage_of

if TYPE_CHECKING:
    import numpy as np

    from .period import Period
    from .versions import Disagreement


def page_at(page_starts: list[int], offset: int) -> int:
    """1-based page holding ``offset``; an empty page shares its start with the next and loses the tie."""
    return max(1, bisect_right(page_starts, offset))


@dataclass(frozen=True)
class Span:
    """A stretch of an article's normalised text: ``text == article.text[start:end]``."""

    start: int
    end: int


@dataclass
class Article:
    """One article after loading: normalised text plus what we know about it."""

    id: str  # path relative to the articles folder, with forward slashes
    title: str
    text: str
    date: str | None = None  # ISO date, YYYY-MM-DD
    source: str | None = None  # publisher, when known
    url: str | None = None
    content_hash: str = ""
    author: str | None = None
    page_starts: list[int] | None = None  # PDFs: offset in ``text`` where each page begins


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

    def stored_sentence_vectors(self) -> np.ndarray | None:
        """The sentence vectors, decoded on first use: most retrieved passages never reach the answerer."""
        if self.sentence_vectors is None and self.packed_vectors:
            from .packing import unpack_vectors

            self.sentence_vectors = unpack_vectors(self.packed_vectors, len(self.sentences))
        return self.sentence_vectors

    def page_of(self, offset: int) -> int | None:
        """The PDF page holding an article offset inside this passage; None when not a PDF."""
        if not self.pages:
            return None
        return self.pages[page_at([start for _, start in self.pages], offset) - 1][0]


@dataclass
class Citation:
    """What [n] in an answer points at: the exact quote and where it stands in its article."""

    n: int
    title: str
    article_id: str  # the article: its path in the articles folder (a feed record: ``feed.jsonl#3``)
    quote: str
    start: int
    end: int
    score: float
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    passage: str = ""  # the whole retrieved passage, for showing the quote in context
    passage_start: int = 0
    page: int | None = None  # PDFs: 1-based page of the quote
    verified: bool = True  # False when an LLM's sentence is not supported by this passage
    dates: list[DatedPhrase] = field(default_factory=list)  # "on Monday" in the quote, dated from the article's date
    carried_by: list[Carrier] = field(default_factory=list)  # the same story run by other outlets (stories.py)

    @classmethod
    def quoting(cls, n: int, passage: Passage, span: Span, score: float, verified: bool = True) -> Citation:
        """Cite the sentence at ``span`` (article offsets) of a retrieved passage."""
        quote = passage.text[span.start - passage.start: span.end - passage.start]
        return cls(
            n=n,
            title=passage.title,
            article_id=passage.article_id,
            quote=quote,
            start=span.start,
            end=span.end,
            score=round(score, 4),
            date=passage.date,
            url=passage.url,
            publisher=passage.source,
            passage=passage.text,
            passage_start=passage.start,
            page=passage.page_of(span.start),
            verified=verified,
            dates=dated_phrases(quote, passage.date, span.start),
            carried_by=list(passage.carriers),
        )

    def to_dict(self) -> dict:
        return asdict(self)

    def carriers_dict(self) -> list[dict]:
        """The other outlets of the story, named as citations name theirs (``publisher``)."""
        return [{"article_id": c.article_id, "title": c.title, "publisher": c.source, "date": c.date, "url": c.url}
                for c in self.carried_by]

    @property
    def source(self) -> str:
        """Deprecated for one release: the article is ``article_id``; who published it is ``publisher``."""
        warnings.warn("Citation.source is deprecated: use article_id (the article) or publisher",
                      DeprecationWarning, stacklevel=2)
        return self.article_id


@dataclass(frozen=True)
class ShortAnswer:
    """The exact span that answers the question ("December 13th"): ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int
    citation: int  # the [n] of the cited sentence it was cut from

    def lead(self, body: str) -> str:
        """The answer's text: this span first, then the cited sentences."""
        return f"{self.text}: {body}"

    def body_of(self, text: str) -> str | None:
        """The cited sentences of a text that :meth:`lead` made, else None."""
        prefix = self.lead("")
        return text[len(prefix):] if text.startswith(prefix) else None


@dataclass(frozen=True)
class TimelineEvent:
    """An event of a timeline answer ("How did X develop?"): the day it happened, the [n] that tells it."""

    day: str  # ISO: the day a relative date in the sentence names, else its article's date
    n: int


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    abstained: bool
    passages: list[Passage] = field(default_factory=list)
    question: str = ""
    search_query: str = ""  # the question as condensed with the chat history
    note: str = ""  # e.g. "the LLM was unreachable; this is the extractive answer"
    unverified: list[str] = field(default_factory=list)  # answer sentences no passage supports
    short_answer: ShortAnswer | None = None
    period: Period | None = None  # the dates the question was limited to ("last week", as_of), if any
    disagreements: list[Disagreement] = field(default_factory=list)  # outlets giving other figures or names
    timeline: list[TimelineEvent] = field(default_factory=list)  # oldest first, when the question asked for one

    @property
    def coverage(self) -> Coverage | None:
        """How current the answer is and how broad its evidence, from its dated citations (None: undated)."""
        return coverage_of([(c.article_id, c.date, c.publisher) for c in self.citations]  # and the same
                           + [(k.article_id, k.date, k.source) for c in self.citations for k in c.carried_by])  # story

    def to_dict(self) -> dict:
        coverage = self.coverage
        return {
            "answer": self.text,
            "short_answer": asdict(self.short_answer) if self.short_answer else None,
            "abstained": self.abstained,
            "note": self.note,
            "as_of": coverage.as_of if coverage else None,
            "coverage": coverage.to_dict() if coverage else None,
            "period": self.period.to_dict() if self.period else None,
            "disagreements": [d.to_dict() for d in self.disagreements],
            "timeline": [asdict(e) for e in self.timeline],
            "unverified": self.unverified,
            "citations": [
                {k: c.to_dict()[k] for k in ("n", "title", "article_id", "quote", "start", "end", "score")}
                | {"date": c.date, "url": c.url, "publisher": c.publisher, "page": c.page, "verified": c.verified,
                   "dates": c.to_dict()["dates"], "also_carried_by": c.carriers_dict()}
                | {"source": c.article_id}  # deprecated alias of "article_id", removed in the next release
                for c in self.citations
            ],
        }
