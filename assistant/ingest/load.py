"""Load: read article files into normalised :class:`Article` records, one reader per format.

Every file that cannot be (fully) used becomes a :class:`Problem` whose reason names the file; one bad
file never stops the others. Article text is data: it is parsed, never executed or rendered.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ArticleError, MissingFolderError
from ..records.article import Article, is_tracking
from ..records.dates import normalize_date
from ..records.reports import Problem
from ..store.file_records import FileCache, KnownArticle
from .readers import READERS, FileContext, Reader, normalize_text
from .readers.base import clean_field, decode, title_from_name

__all__ = [
    "READERS", "ArticleError", "Duplicate", "KnownArticle", "Link", "Loaded", "Reader", "article_entries",
    "article_files",
    "clean_field", "content_hash", "decode", "load_articles", "load_file", "normalize_date", "normalize_text",
    "supported_extensions", "title_from_name", "unreadable_files",
]
Loaded = Article | KnownArticle  # an article read now, or one of a file unchanged since the last read


@dataclass
class Duplicate(Problem):
    """An article that was already loaded under another name (same text or same URL): indexed once."""

    original: str = ""  # the id of the article that was kept


@dataclass
class Link(Problem):
    """A symbolic link in the articles folder: never followed, and nothing indexed through it is kept."""


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
    return articles_from(file_bytes(path, max_bytes), path, article_id, problems)


def file_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file of a supported kind and size, or :class:`ArticleError` saying why not."""
    if path.suffix.lower() not in READERS:
        kind = f"an unsupported extension '{path.suffix}'" if path.suffix else "no extension"
        raise ArticleError(f"has {kind}; it was skipped (supported: {', '.join(supported_extensions())})")
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleError(f"is {size:,} bytes, over the limit of {max_bytes:,} (ASSISTANT_MAX_ARTICLE_BYTES)")
    if size == 0:
        raise ArticleError("is empty")
    return path.read_bytes()


def articles_from(data: bytes, path: Path, article_id: str, problems: list[Problem] | None = None) -> list[Article]:
    """The articles in a file's bytes (see :func:`load_file`)."""
    context = FileContext(path, article_id)
    articles = READERS[path.suffix.lower()](data, context)
    for article in articles:
        article.content_hash = content_hash(article)
    if problems is not None:
        problems.extend(context.problems)
    return articles


def article_entries(folder: Path, links: list[str] | None = None) -> list[tuple[str, str, os.stat_result]]:
    """Every visible file below ``folder`` (relative name, path, status), in path order; one ``stat`` each.
    Paths stay strings: a ``Path`` per file cost more than the listing itself in a folder of thousands.

    The folder is a boundary: a symbolic link is never followed, to a file or a folder, inside the folder
    or out of it (what it points at inside is listed under its own name anyway), so no link can bring in
    a file from elsewhere or loop. The links found are added to ``links``."""
    if not folder.is_dir():
        raise MissingFolderError(f"articles folder {folder} does not exist")
    found: list[tuple[str, str, os.stat_result]] = []
    pending = [(str(folder), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue  # an unreadable subfolder: its files cannot be listed, the rest still can
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            try:
                if entry.is_symlink():
                    if links is not None:
                        links.append(relative)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, relative + "/"))
                elif entry.is_file(follow_symlinks=False):
                    found.append((relative, entry.path, entry.stat(follow_symlinks=False)))
            except OSError:
                continue  # gone since it was listed, or a dangling link
    return sorted(found, key=lambda item: item[0].split("/"))


def article_files(folder: Path) -> list[Path]:
    """Every visible file below ``folder``, in a stable order."""
    return [Path(path) for _, path, _ in article_entries(folder)]


def url_key(url: str | None) -> str | None:
    """The same article behind http/https, www., a trailing slash or tracking parameters."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return url.strip().casefold()
    query = "&".join(sorted(q for q in parts.query.split("&") if q and not is_tracking(q)))
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def text_key(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def known_article(article: Article) -> KnownArticle:
    """What an update needs to remember of an article without its text."""
    return KnownArticle(article.id, article.content_hash, text_key(article.text), url_key(article.url))


def drop_duplicates(articles: list[tuple[Loaded, KnownArticle]]) -> tuple[list[Loaded], list[Problem]]:
    """Keep the first of articles with identical text or the same URL (files in path order)."""
    kept: list[Loaded] = []
    problems: list[Problem] = []
    by_text: dict[str, str] = {}
    by_url: dict[str, str] = {}
    for article, keys in articles:
        original, why = by_text.get(keys.text_key), "the same text as"
        if original is None and keys.url_key is not None:
            original, why = by_url.get(keys.url_key), "the same URL as"
        if original is not None:
            problems.append(Duplicate(article.id, f"{article.id} has {why} {original}, so it was indexed once, "
                                                  f"as {original}", skipped=True, original=original))
            continue
        by_text[keys.text_key] = article.id
        if keys.url_key is not None:
            by_url.setdefault(keys.url_key, article.id)
        kept.append(article)
    return kept, problems


def load_articles(folder: Path, max_bytes: int, cache: FileCache | None = None) -> tuple[list[Loaded], list[Problem]]:
    """All articles of a folder; a file that fails is reported and never stops the others.

    With a ``cache``, a file unchanged since it was last read is not read again: its articles come back as
    :class:`KnownArticle` (id, hash and duplicate keys, no text), and what was read is remembered in it.
    """
    loaded: list[tuple[Loaded, KnownArticle]] = []
    links: list[str] = []
    entries = article_entries(folder, links)
    problems: list[Problem] = [Link(name, f"{name} is a link, and links are not followed: the articles folder is a "
                                          "boundary (copy the file in instead)") for name in links]
    for relative, path, status in entries:
        known = cache.lookup(relative, status, path) if cache is not None else None
        if known is not None:
            loaded.extend((article, article) for article in known[0])
            problems.extend(known[1])
            continue
        warnings: list[Problem] = []
        data: bytes | None = None
        try:
            file = Path(path)
            data = file_bytes(file, max_bytes)
            articles = articles_from(data, file, relative, warnings)
        except ArticleError as error:
            problems.append(Problem(relative, f"{relative} {error}"))
            if cache is not None:  # the file's content is at fault: read again only once it changes
                cache.remember_failure(relative, status, problems[-1].reason, data)
            continue
        except OSError as error:
            problems.append(Problem(relative, f"{relative} could not be read ({error.strerror or error})"))
            continue
        except Exception as error:  # a parser's bug on one odd file must not stop the rest
            problems.append(Problem(relative, f"{relative} could not be read ({type(error).__name__}: {error})"))
            continue
        keys = [known_article(article) for article in articles]
        loaded.extend(zip(articles, keys, strict=True))
        problems.extend(warnings)
        if cache is not None:
            cache.remember(relative, status, keys, warnings, data)
    kept, duplicates = drop_duplicates(loaded)
    return kept, problems + duplicates


def unreadable_files(problems: list[Problem]) -> set[str]:
    """Files whose previously indexed articles an update must keep: they (or part of them) failed to load.

    A duplicate is not among them: its earlier copy in the index should go, since the original stays.
    """
    return {p.path for p in problems if p.skipped and not isinstance(p, Duplicate | Link)}
