"""What is fetched from the web, as article files: a page's article (trafilatura), Markdown with front
matter, and the keys that tell the same story apart from a new one (canonical URL, text hash)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

import yaml

from .fetch import Fetched
from .readers.base import ArticleError, FileContext
from .readers.html import read_html
from .types import Article

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """The same page however it was linked: no fragment, no tracking parameters, no trailing slash."""
    parts = urlparse(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    return urlunparse((parts.scheme.lower(), (parts.hostname or "") + (f":{parts.port}" if parts.port else ""),
                       parts.path.rstrip("/") or "/", "", query, ""))


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:32]


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
    return article if article.url else with_fields(article, url=fetched.url)


def with_fields(article: Article, **fields: object) -> Article:
    return replace(article, **fields)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)




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
