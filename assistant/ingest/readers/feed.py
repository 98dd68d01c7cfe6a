"""JSON and JSONL news feeds: one article per record, with the field names news APIs use.

A record's id is ``"<file>#<n>"``: its 1-based position in a JSON list, or its line number in JSONL,
so an error message and an article id point at the same place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ...errors import ArticleError
from ...records.article import Article
from .base import FileContext, clean_field, decode, normalize_text
from .html import fragment_to_text
from .text import author_names, source_name

TITLE_KEYS = ("title", "headline", "webTitle", "name")
TEXT_KEYS = ("text", "content", "body", "articleBody", "article_body", "full_text", "bodyText", "maintext")
SUMMARY_KEYS = ("description", "summary", "abstract", "lead", "snippet")
URL_KEYS = ("url", "link", "canonical_url", "webUrl", "href")
DATE_KEYS = ("published_at", "publishedAt", "date", "published", "pubDate", "datePublished",
             "webPublicationDate", "date_publish", "published_date", "created_at", "timestamp")
SOURCE_KEYS = ("source", "publisher", "source_name", "site_name", "sitename", "domain")
AUTHOR_KEYS = ("author", "authors", "byline", "creator")
WRAPPER_KEYS = ("articles", "items", "results", "data", "entries", "news", "posts", "stories", "response")
SHOWN_PROBLEMS = 3  # a file whose every record fails names this many of the reasons


def _first(record: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _text_of(value: object) -> str:
    """Feed text may be HTML, and NewsAPI cuts ``content`` with a "… [+1234 chars]" marker."""
    if not isinstance(value, str):
        return ""
    text = fragment_to_text(value)
    if text.rstrip().endswith("chars]"):
        head, bracket, _ = text.rpartition("[+")
        text = head.rstrip(" …") if bracket else text
    return normalize_text(text)


def record_article(record: object, article_id: str, where: str, context: FileContext) -> Article:
    """One record as an article; ArticleError (its message names the reason) when it has no text."""
    if isinstance(record, ArticleError):  # a JSONL line that did not parse
        raise record
    if not isinstance(record, dict):
        raise ArticleError(f"is a {type(record).__name__}, not an object with a title and text")
    text = _text_of(_first(record, TEXT_KEYS))
    summary = _text_of(_first(record, SUMMARY_KEYS))
    if summary and summary not in text and len(text) < 400:  # a teaser adds to a short or cut text
        text = f"{summary}\n\n{text}" if text else summary
    if not text:
        raise ArticleError(f"has no text (none of {', '.join(TEXT_KEYS[:4] + SUMMARY_KEYS[:1])})")
    date = context.date(_first(record, DATE_KEYS), where)
    title = clean_field(_first(record, TITLE_KEYS))
    if not title:
        first_line = text.split("\n\n", 1)[0]
        title = clean_field(first_line, limit=90) or article_id
    return Article(
        id=article_id,
        title=title,
        text=text,
        date=date,
        source=source_name(_first(record, SOURCE_KEYS)),
        url=clean_field(_first(record, URL_KEYS), limit=2000),
        author=author_names(_first(record, AUTHOR_KEYS)),
    )


def _records(value: object) -> list[object]:
    """A list of records, one record, or an API response that wraps its list ({"articles": [...]})."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        if _first(value, TEXT_KEYS + SUMMARY_KEYS) is None:
            for key in WRAPPER_KEYS:
                inner = value.get(key)
                if isinstance(inner, list):
                    return inner
                if isinstance(inner, dict) and isinstance(inner.get("results"), list):  # the Guardian's API
                    return inner["results"]
        return [value]
    raise ArticleError(f"holds a JSON {type(value).__name__}, not an article record or a list of them")


def _collect(entries: Iterator[tuple[str, str, object]], context: FileContext) -> list[Article]:
    """Articles from (id, where, record) entries; bad records are reported, good ones kept."""
    articles: list[Article] = []
    problems: list[str] = []
    for article_id, where, record in entries:
        try:
            articles.append(record_article(record, article_id, where, context))
        except ArticleError as error:
            problems.append(f"{where} {error}")
    if not articles:
        if not problems:
            raise ArticleError("holds no records")
        more = f" (and {len(problems) - SHOWN_PROBLEMS} more)" if len(problems) > SHOWN_PROBLEMS else ""
        raise ArticleError(f"has no usable record: {'; '.join(problems[:SHOWN_PROBLEMS])}{more}")
    for problem in problems:
        context.skip(f"{problem}; it was skipped, the other records were used")
    return articles


def _parse(text: str, one_line: bool = False) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"column {error.colno}" if one_line else f"line {error.lineno}, column {error.colno}"
        message = error.msg.removesuffix(" at")  # "Unterminated string starting at" + " at line 3"
        raise ArticleError(f"is not valid JSON ({message} at {where})") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise ArticleError(f"is not JSON this reader accepts ({error})") from None
    except RecursionError:
        raise ArticleError("is nested too deeply to be a news record") from None


def read_json(data: bytes, context: FileContext) -> list[Article]:
    """A JSON file: one record, a list of records, or a news API response holding a list."""
    records = _records(_parse(decode(data, context)))
    entries = ((f"{context.article_id}#{n}", f"record {n}", record) for n, record in enumerate(records, start=1))
    return _collect(entries, context)


def read_jsonl(data: bytes, context: FileContext) -> list[Article]:
    """JSON Lines: one record per line; a broken line is reported by its number, the others are used."""

    def entries() -> Iterator[tuple[str, str, object]]:
        # split on "\n" only: str.splitlines would also cut at U+2028, which JSON strings may hold
        for number, line in enumerate(decode(data, context).split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = _parse(line, one_line=True)
            except ArticleError as error:
                record = error  # reported like a record without text, by its line number
            yield f"{context.article_id}#{number}", f"line {number}", record

    return _collect(entries(), context)
