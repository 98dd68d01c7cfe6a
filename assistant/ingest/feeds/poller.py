"""Feeds (RSS 0.9x/1.0/2.0, Atom through feedparser) and single pages, turned into article files.

What is fetched is written into the articles folder as Markdown with front matter (title, date, source,
url, author, feed, guid), so the incremental index, the watcher and the server that owns the index serve
feeds unchanged. An entry already seen (its guid, its link as ``load.url_key`` reads it, or the same text as
``load.text_key`` reads it, the keys the loader finds duplicates by) is not fetched or
stored again; an entry that changed in the feed rewrites its article, which the next update re-indexes.
"""

from __future__ import annotations

import builtins
import hashlib
import logging
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...errors import ArticleError, FetchError
from ...records.article import Article
from ...records.reports import counted
from ...store.atomic import write_atomically
from ..load import text_key, url_key
from ..readers.html import fragment_to_text
from .book import Feed, FeedBook, FeedShelf, Seen
from .http import Fetcher
from .pages import article_markdown, page_article

log = logging.getLogger(__name__)

CHARACTER_REFERENCE = re.compile(rb"&#(x[0-9a-f]{1,8}|[0-9]{1,10});", re.IGNORECASE)
FEEDS_FOLDER = "feeds"  # inside the articles folder: feeds/<feed name>/<article>.md


@dataclass
class PollReport:
    """What one poll of one feed did."""

    feed: str
    new: list[str] = field(default_factory=list)  # article files written
    updated: list[str] = field(default_factory=list)
    duplicates: int = 0  # entries already stored (another feed, the same URL or text)
    unchanged: int = 0
    not_modified: bool = False  # the server answered 304
    problems: list[str] = field(default_factory=list)  # entries left out or stored from the feed's own text
    error: str | None = None  # the feed itself failed
    shown: str = ""  # what the feed is called (its title), for the summary

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated)

    def summary(self) -> str:
        feed = self.shown or self.feed
        if self.error:
            return f"{feed}: failed: {self.error}"
        if self.not_modified:
            return f"{feed}: not modified"
        return (f"{feed}: {len(self.new)} new, {len(self.updated)} updated, {self.unchanged} unchanged, "
                f"{counted(self.duplicates, 'duplicate')}" + (f"; {counted(len(self.problems), 'problem')}"
                                                               if self.problems else ""))


@dataclass
class FeedPoller:
    """Polls the feeds of a :class:`FeedShelf` into ``articles_dir``."""

    shelf: FeedShelf
    articles_dir: Path
    fetcher: Fetcher
    max_entries: int = 20  # new or changed entries stored per poll of one feed; the rest wait

    def poll(self, name: str | None = None, only_due: bool = False) -> list[PollReport]:
        with self.shelf.editing() as book:
            now = time.time()
            feeds = [book.named(name)] if name else [f for f in book.feeds.values() if not only_due or f.due(now)]
            return [self._poll_safely(book, feed) for feed in feeds]

    def _poll_safely(self, book: FeedBook, feed: Feed) -> PollReport:
        """One feed's poll; whatever breaks in it is that feed's error, and the others are polled."""
        try:
            report = self._poll_one(book, feed)
        except Exception as error:  # a parser's or a page's surprise: this feed fails, the rest go on
            log.exception("polling feed %s failed", feed.name)
            feed.failures += 1
            feed.last_error = f"{feed.url}: {type(error).__name__}: {error}"
            report = PollReport(feed.name, error=feed.last_error)
        report.shown = feed.shown  # its title, once its first poll has read one
        return report

    def _poll_one(self, book: FeedBook, feed: Feed) -> PollReport:
        import feedparser

        report = PollReport(feed.name)
        feed.last_poll = time.time()
        try:
            fetched = self.fetcher.get(feed.url, feed.etag, feed.last_modified)
            if fetched.not_modified:
                report.not_modified = True
            else:
                parsed = feedparser.parse(without_lone_surrogates(fetched.body),
                                          response_headers={"content-location": fetched.url})
                if parsed.bozo and not parsed.entries and not parsed.feed.get("title"):  # nothing of a feed
                    raise FetchError(f"{feed.url} is not an RSS or Atom feed that can be read "
                                     f"({_readable(parsed.get('bozo_exception'), fetched.body)})")
                feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
                outlet = parsed.feed.get("title")
                feed.title = feed.title or (" ".join(outlet.split())[:120] if outlet else None)
                with warnings.catch_warnings():  # feedparser warns when "updated" falls back to "published"
                    warnings.simplefilter("ignore", DeprecationWarning)
                    for entry in parsed.entries:
                        if len(report.new) + len(report.updated) >= self.max_entries:
                            break
                        self._entry(book, feed, entry, outlet, report)
        except FetchError as error:
            feed.failures += 1
            feed.last_error = report.error = str(error)
            return report
        feed.failures, feed.last_error, feed.problems = 0, None, len(report.problems)
        feed.articles = len(book.seen.get(feed.name, {}))
        return report

    def _entry(self, book: FeedBook, feed: Feed, entry: dict, outlet: str | None, report: PollReport) -> None:
        link = entry.get("link") or ""
        guid = entry.get("id") or link or text_key(f"{entry.get('title')} {entry.get('summary')}")
        own_text = fragment_to_text(_entry_content(entry)).strip()
        fingerprint = text_key(f"{entry.get('title')}\n{own_text}\n{entry.get('updated', '')}")
        seen = book.seen.setdefault(feed.name, {})
        before = seen.get(guid)
        if before and before.fingerprint == fingerprint:
            report.unchanged += 1
            return
        url = url_key(link) if link.startswith(("http://", "https://")) else None
        if before is None and url and url in book.urls:
            seen[guid] = Seen(book.urls[url], fingerprint)
            report.duplicates += 1
            return
        article = self._article(entry, link, own_text, outlet, report)
        if article is None:
            return
        digest = text_key(article.text)
        if before is None and digest in book.texts:
            seen[guid] = Seen(book.texts[digest], fingerprint)
            report.duplicates += 1
            return
        relative = before.file if before else self._file_for(feed, article.title or guid, guid)
        write_atomically(self.articles_dir / relative, article_markdown(article, feed=feed.name, guid=guid))
        seen[guid] = Seen(relative, fingerprint)
        if url:
            book.urls[url] = relative
        book.texts[digest] = relative
        (report.updated if before else report.new).append(relative)

    def _article(self, entry: dict, link: str, own_text: str, outlet: str | None, report: PollReport) -> Article | None:
        """The linked page's article; the entry's own text when the page cannot be had."""
        title, published = entry.get("title"), entry.get("published") or entry.get("updated")
        author = entry.get("author")
        page_problem = "it has no link"
        if link.startswith(("http://", "https://")):
            try:
                page = page_article(self.fetcher.get(link))
                return replace(page, title=title or page.title, date=_iso(entry) or page.date,
                               source=page.source or outlet, author=author or page.author, url=link)
            except (FetchError, ArticleError) as error:
                page_problem = str(error) if isinstance(error, FetchError) else f"{link} {error}"
        if len(own_text.split()) < 5:
            report.problems.append(f"{title or link or 'an entry without a title or link'}: left out: the page "
                                   f"failed ({page_problem}) and the entry "
                                   "has no text of its own")
            return None
        report.problems.append(f"{title or link}: stored from the feed's own text ({page_problem})")
        return Article(id="", title=title or "", text=own_text, date=_iso(entry) or published, source=outlet,
                       url=link or None, author=author)

    def _file_for(self, feed: Feed, title: str, guid: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "entry"
        return f"{FEEDS_FOLDER}/{feed.name}/{slug}-{hashlib.sha256(guid.encode()).hexdigest()[:8]}.md"


def _entry_content(entry: dict) -> str:
    contents = entry.get("content") or []
    return max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")


def _iso(entry: dict) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


@dataclass
class Feeds:
    """``bot.feeds``: follow feeds, list them, rename, stop following, poll now. Polled articles are written
    into the articles folder; ``poll`` then updates the index (through the server when one owns it)."""

    poller: FeedPoller
    update_index: Callable[[], object]

    def add(self, url: str, every: str | float = "30m", name: str | None = None) -> Feed:
        """Follow a feed without fetching it (the next poll does)."""
        with self.poller.shelf.editing() as book:
            return book.add(url, every, name)

    def follow(self, url: str, every: str | float = "30m", name: str | None = None) -> tuple[Feed, PollReport]:
        """Follow a feed and fetch it once now, so a wrong address or a page that is no feed is said at once;
        it stays followed (and is retried on its schedule) until it is removed."""
        feed = self.add(url, every, name)
        [report] = self.poll(feed.name)
        return self.poller.shelf.read().feeds[feed.name], report

    def rename(self, name: str, title: str) -> Feed:
        with self.poller.shelf.editing() as book:
            return book.rename(name, title)

    def list(self) -> list[Feed]:
        return list(self.poller.shelf.read().feeds.values())

    def remove(self, name: str) -> Feed:
        """Stop following (by short name or title); the articles it brought stay in the folder (delete them
        there to drop them)."""
        with self.poller.shelf.editing() as book:
            return book.remove(book.named(name).name)

    def poll(self, name: str | None = None, only_due: bool = False) -> builtins.list[PollReport]:
        reports = self.poller.poll(name, only_due)
        if any(r.changed for r in reports):
            self.update_index()
        return reports


def _readable(problem: object, body: bytes) -> str:
    """What was wrong with a feed, in words: feedparser's reasons name its own internals."""
    if body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "it is a web page: follow the RSS or Atom link the page gives"
    text = str(problem or "unknown reason")
    broken = re.match(r"<unknown>:\d+:\d+: (.+)", text)  # the XML parser's own words
    if broken:
        return f"its XML is broken: {broken[1]}"
    return "what the server sent is no XML" if "content-type" in text.lower() else text


def without_lone_surrogates(body: bytes) -> bytes:
    """A feed's "&#xD800;"…"&#xDFFF;" as U+FFFD: a lone surrogate, which feedparser cannot encode (it fails
    the whole feed) and no file or JSON can hold."""
    def replace(match: re.Match[bytes]) -> bytes:
        digits = match.group(1).decode("ascii")
        value = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
        return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF else match.group(0)

    return CHARACTER_REFERENCE.sub(replace, body)
