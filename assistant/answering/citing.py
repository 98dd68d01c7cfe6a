"""A citation made from a retrieved passage: the quote, where it stands, and the days its time words name.

Every answerer (extractive, timeline, the LLM's checked sentences) cites through here, so a citation's
dated phrases are read in one place and the record stays plain data."""

from __future__ import annotations

from ..records.answer import Citation
from ..records.article import Passage, Span
from ..text.dated_phrases import dated_phrases


def cite(n: int, passage: Passage, span: Span, score: float, verified: bool = True) -> Citation:
    """Cite the sentence at ``span`` (article offsets) of a retrieved passage as [n]."""
    quote = passage.text[span.start - passage.start: span.end - passage.start]
    return Citation(
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
