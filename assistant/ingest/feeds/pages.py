"""What is fetched from the web, as article files: a page's article (trafilatura), and Markdown with front
matter."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

import yaml

from ...errors import ArticleError
from ...records.article import Article
from ..readers.base import FileContext
from ..readers.html import read_html
from .http import Fetched


def article_markdown(article: Article, **extra: str | None) -> bytes:
    """An article file: YAML front matter (safe_dump: any value stays a string), a blank line, the text."""
    meta = {"title": article.title, "date": article.date, "source": article.source, "url": article.url,
            "author": article.author, **extra}
    head = yaml.safe_dump({k: v for k, v in meta.items() if v}, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n\n{article.text}\n".encode()


def page_article(fetched: Fetched) -> Article:
    """A fetched HTML page's article (trafilatura), or ArticleError naming why there is none."""
    looks_html = fetched.body.lstrip()[:100].lower().startswith((b"<!doctype", b"<html"))
    if "html" not in fetched.content_type and not looks_html:
        raise ArticleError(f"is {fetched.content_type or 'not HTML'}, not an HTML page")
    article = read_html(fetched.body, FileContext(Path("page.html"), fetched.url))[0]
    return article if article.url else replace(article, url=fetched.url)


def stored_page(fetched: Fetched) -> tuple[str, bytes]:
    """A fetched page as an article file to store: (file name, bytes)."""
    if "pdf" in fetched.content_type or fetched.body.startswith(b"%PDF"):
        name = Path(urlparse(fetched.url).path).name or "page.pdf"
        return (name if name.lower().endswith(".pdf") else f"{name}.pdf"), fetched.body
    try:
        article = page_article(fetched)
    except ArticleError as error:
        raise ArticleError(f"{fetched.url} {error}") from None
    slug = re.sub(r"[^a-z0-9]+", "-", (article.title or urlparse(fetched.url).path).lower()).strip("-")[:60]
    return f"{slug or 'page'}.md", article_markdown(article)
