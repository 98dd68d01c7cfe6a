"""The feeds a user follows and what was seen of them, kept in the index folder (``feeds.json``), not in code.

The file is written whole to a temporary file and renamed, under a lock, so the server polling and a
``feeds`` command run beside it never see half a file or lose each other's changes.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from filelock import FileLock

from ...errors import BadValueError
from ...store.atomic import write_atomically
from .http import check_url

EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
UNIT_SECONDS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}  # a bare number is minutes
MIN_EVERY = 5.0
MAX_BACKOFF = 86400.0


def parse_every(value: str | float) -> float:
    """'30m', '2h', '1d', '90s' or minutes as a number -> seconds."""
    match = EVERY.match(str(value))
    if not match:
        raise BadValueError(f"every={value!r} is not a duration like 30m, 2h or 1d")
    seconds = float(match.group(1)) * UNIT_SECONDS[match.group(2)]
    if seconds < MIN_EVERY:
        raise BadValueError(f"every={value!r} is shorter than {MIN_EVERY:g} seconds")
    return seconds


def duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


@dataclass
class Feed:
    """One feed: where it is, how often to poll it, and how its last polls went."""

    name: str
    url: str
    every: float = 1800.0
    etag: str | None = None
    last_modified: str | None = None
    last_poll: float | None = None  # epoch seconds
    last_error: str | None = None
    failures: int = 0  # in a row; each one doubles the wait before the next poll
    articles: int = 0  # article files written from it
    title: str | None = None  # what it is called: the feed's own title after its first poll, or the user's
    problems: int = 0  # entries its last poll could not store as articles

    @property
    def shown(self) -> str:
        """Its name as a person reads it: its title, else its short name."""
        return self.title or self.name

    def due(self, now: float) -> bool:
        if self.last_poll is None:
            return True
        wait = min(self.every * 2 ** min(self.failures, 10), max(MAX_BACKOFF, self.every))
        return now >= self.last_poll + wait

    def to_dict(self) -> dict:
        """The record, and how ``feeds list`` and the page show it: schedule, last poll, state."""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.last_poll)) if self.last_poll else "never"
        state = f"FAILING ({self.failures}x): {self.last_error}" if self.last_error else "ok" + (
            f"; {self.problems} entr{'y' if self.problems == 1 else 'ies'} of its last poll could not be stored"
            if self.problems else "")
        return asdict(self) | {"shown": self.shown, "every_text": duration(self.every), "last_poll_text": when,
                               "state": state}


@dataclass
class Seen:
    """An entry already handled: its article file and the fingerprint of the entry as last seen."""

    file: str
    fingerprint: str


@dataclass
class FeedBook:
    feeds: dict[str, Feed] = field(default_factory=dict)
    seen: dict[str, dict[str, Seen]] = field(default_factory=dict)  # feed name -> entry guid -> Seen
    urls: dict[str, str] = field(default_factory=dict)  # load.url_key of a link -> article file
    texts: dict[str, str] = field(default_factory=dict)  # load.text_key of an article's text -> article file

    def add(self, url: str, every: str | float = "30m", name: str | None = None) -> Feed:
        url = check_url(url)
        followed = next((f.name for f in self.feeds.values() if f.url == url), None)
        if followed:
            raise BadValueError(f"{url} is already followed as {followed!r}")
        name = name.strip() if name else self._name_for(url)
        if not re.fullmatch(r"[\w.-]{1,60}", name):
            raise BadValueError(f"name={name!r} must be 1-60 letters, digits, '.', '-' or '_'")
        if name in self.feeds:
            raise BadValueError(f"a feed named {name!r} exists already")
        self.feeds[name] = feed = Feed(name, url, parse_every(every))
        return feed

    def remove(self, name: str) -> Feed:
        self.named(name)
        self.seen.pop(name, None)  # its article files stay: they are articles now
        return self.feeds.pop(name)

    def rename(self, name: str, title: str) -> Feed:
        """Call the feed ``title`` wherever it is shown (its short name, which its folder bears, stays)."""
        feed = self.named(name)
        title = " ".join((title or "").split())
        if not 1 <= len(title) <= 120:
            raise BadValueError(f"title={title!r} must be 1-120 characters")
        feed.title = title
        return feed

    def named(self, name: str) -> Feed:
        """The feed of this short name, or of this title; a BadValueError that lists them otherwise."""
        found = self.feeds.get(name) or next((f for f in self.feeds.values() if f.title == name), None)
        if found is None:
            raise BadValueError(f"no feed named {name!r}; feeds: {', '.join(sorted(self.feeds)) or 'none'}")
        return found

    def _name_for(self, url: str) -> str:
        base = re.sub(r"[^\w.-]+", "-", (urlparse(url).hostname or "feed").removeprefix("www.")).strip("-.") or "feed"
        name, n = base, 2
        while name in self.feeds:
            name, n = f"{base}-{n}", n + 1
        return name

    def to_dict(self) -> dict:
        return {"feeds": [asdict(f) for f in self.feeds.values()],
                "seen": {feed: {guid: asdict(s) for guid, s in entries.items()} for feed, entries in self.seen.items()},
                "urls": self.urls, "texts": self.texts}

    @classmethod
    def from_dict(cls, data: dict) -> FeedBook:
        return cls({f["name"]: Feed(**f) for f in data.get("feeds", [])},
                   {feed: {guid: Seen(**s) for guid, s in entries.items()}
                    for feed, entries in data.get("seen", {}).items()},
                   dict(data.get("urls", {})), dict(data.get("texts", {})))


class FeedShelf:
    """Where the book lives: ``read()`` a copy, or ``with shelf.editing() as book:`` to change it."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / "feeds.json"
        self._lock = FileLock(str(self.path) + ".lock", timeout=60)

    def read(self) -> FeedBook:
        if not self.path.exists():
            return FeedBook()
        try:
            return FeedBook.from_dict(json.loads(self.path.read_text(encoding="utf-8")))
        except (ValueError, TypeError, KeyError) as error:
            raise BadValueError(f"{self.path} is not a feeds file this version can read ({error})") from None

    @contextmanager
    def editing(self) -> Iterator[FeedBook]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            book = self.read()
            yield book
            write_atomically(self.path, json.dumps(book.to_dict(), indent=1, ensure_ascii=False).encode())
