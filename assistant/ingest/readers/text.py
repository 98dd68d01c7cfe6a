"""Plain text and Markdown, with optional YAML front matter and a leading ``# heading`` as the title."""

from __future__ import annotations

import re

import yaml

from ...errors import ArticleError
from ...records.article import Article
from .base import FileContext, clean_field, decode, normalize_text

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\r?\n|\Z)")


class _TextDatesLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is a warning rather than an unreadable file."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def source_name(value: object) -> str | None:
    """A publisher given as a string or as an object with a name ({"id": "bbc", "name": "BBC News"})."""
    if isinstance(value, dict):
        for key in ("name", "title", "id"):
            name = clean_field(value.get(key))
            if name:
                return name
        return None
    return clean_field(value)


def author_names(value: object) -> str | None:
    """An author as a string, an object with a name, or a list of either (joined with commas)."""
    items = value[:20] if isinstance(value, list) else [value]
    names = [source_name(item) for item in items]
    return clean_field(", ".join(n for n in names if n)) if any(names) else None


def front_matter(raw: str) -> tuple[dict, str]:
    """The YAML mapping at the top (or {}) and the text after it."""
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        loaded = yaml.load(match.group(1), Loader=_TextDatesLoader)  # a SafeLoader subclass: no arbitrary objects
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        problem = " ".join(str(error).split())[:300]
        raise ArticleError(f"has front matter that is not valid YAML ({problem})") from None
    return (loaded if isinstance(loaded, dict) else {}), raw[match.end():]


def read_text(data: bytes, context: FileContext) -> list[Article]:
    """One article; metadata keys: title, date, source (or publisher), url, author."""
    meta, raw = front_matter(decode(data, context))
    heading = HEADING.match(raw)
    title = clean_field(meta.get("title"))
    if heading:
        title = title or clean_field(heading.group(1))
        raw = raw[heading.end():]
    text = normalize_text(raw)
    if not text:
        raise ArticleError("has no text")
    return [
        context.article(
            text,
            title,
            meta.get("date") or meta.get("published"),
            source=source_name(meta.get("source") or meta.get("publisher")),
            url=clean_field(meta.get("url"), limit=2000),
            author=author_names(meta.get("author") or meta.get("authors")),
        )
    ]
