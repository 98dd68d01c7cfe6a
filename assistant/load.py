"""Load: read article files into normalised :class:`Article` records, one reader per format.

Every file that cannot be (fully) used becomes a :class:`Problem` whose reason names the file; one bad
file never stops the others. Article text is data: it is parsed, never executed or rendered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .dates import normalize_date
from .readers import READERS, ArticleError, FileContext, Reader, normalize_text
from .readers.base import clean_field, decode, title_from_name
from .types import Article, Problem

__all__ = [
    "READERS", "ArticleError", "Duplicate", "Reader", "article_files", "clean_field", "content_hash", "decode",
    "load_articles", "load_file", "normalize_date", "normalize_text", "supported_extensions", "title_from_name",
    "unreadable_files",
]
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref=", "cmpid")


@dataclass
class Duplicate(Problem):
    """An article that was already loaded under another name (same text or same URL): indexed once."""

    original: str = ""  # the id of the article that was kept


def content_hash(article: Article) -> str:
    """Changes whenever anything stored for the article changes, so an update re-embeds it."""
    digest = hashlib.sha256()
    for part in (article.title, article.date, article.source, article.url, article.text):
        digest.update((part or "").encode("utf-8") + b"\x00")
    # Appended only when present, so articles without them keep the hashes earlier versions stored.
    if article.author:
        digest.update(b"author\x00" + article.author.encode("utf-8"))
    if article.page_starts:
        digest.update(b"pages\x00" + ",".join(map(str, article.page_starts)).encode("ascii"))
    return digest.hexdigest()


def supported_extensions() -> list[str]:
    return sorted(READERS)


def load_file(path: Path, article_id: str, max_bytes: int, problems: list[Problem] | None = None) -> list[Article]:
    """Read one file into its articles, or raise :class:`ArticleError` saying why not.

    Warnings (a fallback encoding, a skipped feed line, an unreadable date) are appended to ``problems``.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"an unsupported extension '{path.suffix}'" if path.suffix else "no extension"
        raise ArticleError(f"has {kind}; it was skipped (supported: {', '.join(supported_extensions())})")
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleError(f"is {size:,} bytes, over the limit of {max_bytes:,} (ASSISTANT_MAX_ARTICLE_BYTES)")
    if size == 0:
        raise ArticleError("is empty")
    context = FileContext(path, article_id)
    articles = reader(path.read_bytes(), context)
    for article in articles:
        article.content_hash = content_hash(article)
    if problems is not None:
        problems.extend(context.problems)
    return articles


def article_files(folder: Path) -> list[Path]:
    """Every visible file below ``folder``, in a stable order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"articles folder {folder} does not exist")
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def url_key(url: str | None) -> str | None:
    """The same article behind http/https, www., a trailing slash or tracking parameters."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return url.strip().casefold()
    query = "&".join(sorted(q for q in parts.query.split("&") if q and not q.lower().startswith(TRACKING_PARAMETERS)))
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def text_key(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def drop_duplicates(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Keep the first of articles with identical text or the same URL (files in path order)."""
    kept: list[Article] = []
    problems: list[Problem] = []
    by_text: dict[str, str] = {}
    by_url: dict[str, str] = {}
    for article in articles:
        text, url = text_key(article.text), url_key(article.url)
        original, why = by_text.get(text), "the same text as"
        if original is None and url is not None:
            original, why = by_url.get(url), "the same URL as"
        if original is not None:
            problems.append(Duplicate(article.id, f"{article.id} has {why} {original}, so it was indexed once, "
                                                  f"as {original}", skipped=True, original=original))
            continue
        by_text[text] = article.id
        if url is not None:
            by_url.setdefault(url, article.id)
        kept.append(article)
    return kept, problems


def load_articles(folder: Path, max_bytes: int) -> tuple[list[Article], list[Problem]]:
    """All articles of a folder; a file that fails is reported and never stops the others."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in article_files(folder):
        relative = path.relative_to(folder).as_posix()
        try:
            articles.extend(load_file(path, relative, max_bytes, problems))
        except ArticleError as error:
            problems.append(Problem(relative, f"{relative} {error}"))
        except OSError as error:
            problems.append(Problem(relative, f"{relative} could not be read ({error.strerror or error})"))
        except Exception as error:  # a parser's bug on one odd file must not stop the rest
            problems.append(Problem(relative, f"{relative} could not be read ({type(error).__name__}: {error})"))
    kept, duplicates = drop_duplicates(articles)
    return kept, problems + duplicates


def unreadable_files(problems: list[Problem]) -> set[str]:
    """Files whose previously indexed articles an update must keep: they (or part of them) failed to load.

    A duplicate is not among them: its earlier copy in the index should go, since the original stays.
    """
    return {p.path for p in problems if p.skipped and not isinstance(p, Duplicate)}
