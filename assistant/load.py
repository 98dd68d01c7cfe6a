"""Load: read article files into normalised :class:`Article` records, one reader per format."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import yaml

from .types import Article, Problem

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\r?\n|\Z)")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
SPACES = re.compile(r"[ \t\f\v\u00a0]+")


class ArticleError(ValueError):
    """An article file that cannot be read; the message names the reason."""


def normalize_text(raw: str) -> str:
    """NFC, paragraphs separated by one blank line, single line breaks read as spaces."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    paragraphs = (SOFT_BREAK.sub(" ", p) for p in PARAGRAPH_BREAK.split(text.strip()))
    return "\n\n".join(SPACES.sub(" ", p).strip() for p in paragraphs if p.strip())


def title_from_name(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def content_hash(article: Article) -> str:
    digest = hashlib.sha256()
    for part in (article.title, article.date, article.source, article.url, article.text):
        digest.update((part or "").encode("utf-8") + b"\x00")
    return digest.hexdigest()


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise ArticleError("looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(f"is not valid UTF-8 ({error.reason} at byte {error.start})") from None


def _date(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:10]


def read_text(path: Path, data: bytes, article_id: str) -> list[Article]:
    """Plain text or Markdown, with optional YAML front matter and a leading ``# heading``."""
    raw = decode(data, path.name)
    meta: dict = {}
    match = FRONT_MATTER.match(raw)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            raise ArticleError(f"has front matter that is not valid YAML ({error})") from None
        meta = loaded if isinstance(loaded, dict) else {}
        raw = raw[match.end():]
    heading = HEADING.match(raw)
    title = str(meta.get("title") or "").strip()
    if heading:
        title = title or heading.group(1).strip()
        raw = raw[heading.end():]
    text = normalize_text(raw)
    if not text:
        raise ArticleError("has no text")
    return [
        Article(
            id=article_id,
            title=title or title_from_name(path),
            text=text,
            date=_date(meta.get("date")),
            source=str(meta["source"]) if meta.get("source") else None,
            url=str(meta["url"]) if meta.get("url") else None,
        )
    ]


Reader = Callable[[Path, bytes, str], list[Article]]
READERS: dict[str, Reader] = {".txt": read_text, ".md": read_text, ".markdown": read_text}


def supported_extensions() -> list[str]:
    return sorted(READERS)


def load_file(path: Path, article_id: str, max_bytes: int) -> list[Article]:
    """Read one file into its articles, or raise :class:`ArticleError` saying why not."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ArticleError(f"has an unsupported extension (supported: {', '.join(supported_extensions())})")
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleError(f"is {size:,} bytes, over the limit of {max_bytes:,}")
    if size == 0:
        raise ArticleError("is empty")
    articles = reader(path, path.read_bytes(), article_id)
    for article in articles:
        article.content_hash = content_hash(article)
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


def load_articles(folder: Path, max_bytes: int) -> tuple[list[Article], list[Problem]]:
    """All articles of a folder; a file that fails is reported and never stops the others."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in article_files(folder):
        relative = path.relative_to(folder).as_posix()
        try:
            articles.extend(load_file(path, relative, max_bytes))
        except ArticleError as error:
            problems.append(Problem(relative, f"{relative} {error}"))
        except OSError as error:
            problems.append(Problem(relative, f"{relative} could not be read ({error.strerror or error})"))
    return articles, problems
