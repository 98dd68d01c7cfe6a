"""Page numbers for quotes from PDFs: kept per chunk in the store, looked up per cited sentence."""

from __future__ import annotations

import json

from ..records.article import Article, page_at


def chunk_pages(article: Article, start: int, end: int) -> str | None:
    """JSON [[page, offset], ...]: the page where a chunk starts and each page beginning inside it."""
    starts = article.page_starts
    if not starts:
        return None
    first = page_at(starts, start)
    pages = [[first, starts[first - 1]]]
    pages += [[n, s] for n, s in enumerate(starts, start=1) if n > first and start < s < end]
    return json.dumps(pages)


def parse_pages(value: object) -> list[tuple[int, int]]:
    """The stored JSON back as (page, offset) pairs; anything unreadable means no pages."""
    try:
        return [(int(page), int(offset)) for page, offset in json.loads(str(value))]
    except (ValueError, TypeError):
        return []
