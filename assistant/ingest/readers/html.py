"""HTML news pages through trafilatura: the article's main text and its metadata, never its markup.

trafilatura only parses (lxml): no script runs, nothing is fetched, links are not followed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast
from urllib.parse import urlparse

from ...errors import ArticleError
from ...records.article import Article
from .base import FileContext, clean_field, looks_binary, normalize_text

if TYPE_CHECKING:
    from trafilatura.settings import Document

# Page furniture that trafilatura's fallback extractors would otherwise read as text on a page with
# no article (navigation links, cookie banners); headers and footers inside the article are kept.
PRUNE = [
    "//nav",
    "//aside",
    "//form",
    "//header[not(ancestor::article or ancestor::main)]",
    "//footer[not(ancestor::article or ancestor::main)]",
    "//*[contains(@class, 'cookie') or contains(@id, 'cookie') or contains(@class, 'consent')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' ad ') or contains(@class, 'advert')"
    " or contains(@class, 'sponsor') or contains(@class, 'promo') or contains(@id, 'advert')]",
]
# Strict dates: the page's metadata (article:published_time, <time>, JSON-LD datePublished), not a
# date guessed from the text or the URL.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
MIN_WORDS = 5  # fewer than this is a page without an article, not a short article
FRAGMENT_TAG = re.compile(r"<(?:p|br|div|span|a|em|strong|b|i|ul|ol|li|h[1-6]|blockquote|figure|img)\b[^>]*>",
                          re.IGNORECASE)
BLOCKS = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote figure figcaption tr table section".split())



def _paragraphs(lines: str) -> str:
    """trafilatura puts one paragraph per line; our text separates paragraphs by a blank line."""
    return normalize_text("\n\n".join(lines.splitlines()))


def _without_title(text: str, title: str | None) -> str:
    """Drop the headline when the page repeats it as the first paragraph: it is the title already."""
    first, _, rest = text.partition("\n\n")
    if title and rest and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return text


def read_html(data: bytes, context: FileContext) -> list[Article]:
    """One article per page: main text without navigation, scripts, styles, ads or comments."""
    import trafilatura

    if looks_binary(data):
        raise ArticleError("looks like a binary file, not an HTML page")
    try:
        document = cast("Document | None", trafilatura.bare_extraction(  # a dict only with as_dict=True
            data, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
            prune_xpath=PRUNE, date_extraction_params=DATE_PARAMS,
        ))
    except (ValueError, TypeError, RecursionError) as error:  # lxml on a page that is not HTML at all
        raise ArticleError(f"is not an HTML page trafilatura can read ({error})") from None
    text = _paragraphs(document.text or "") if document is not None else ""
    title = clean_field(document.title) if document is not None else None
    text = _without_title(text, title)
    if len(text.split()) < MIN_WORDS:
        raise ArticleError("has no article text (only navigation, scripts or page furniture)")
    assert document is not None  # without one the text is empty, and so too short
    url = clean_field(document.url, limit=2000)
    source = clean_field(document.sitename) or clean_field(urlparse(url).hostname if url else None)
    return [
        context.article(
            text,
            title,
            document.date,
            source=source,
            url=url,
            author=clean_field(document.author),
        )
    ]


def fragment_to_text(fragment: str) -> str:
    """HTML inside a feed record ("<p>…</p>") as plain paragraphs; text without tags is returned as is."""
    if not FRAGMENT_TAG.search(fragment):
        return fragment
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, TypeError, RecursionError):
        return fragment
    for element in list(root.iter("script", "style", "noscript", "template")):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:  # comments have a function as tag
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return root.text_content()
