"""Polite HTTP for feeds and pages (httpx): http/https only, a user agent naming the project, timeouts,
a size limit read as the body arrives, redirects followed one by one within a limit (a loop is named),
and conditional GET (ETag / Last-Modified) so an unchanged feed costs one 304."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import httpx

from ...errors import BadValueError, FetchError
from ...settings import Settings


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the conditional GET says nothing changed
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """The URL stripped, or a ValueError naming what is wrong with it."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise BadValueError(f"{url!r} is not an http or https URL")
    return url


@dataclass(frozen=True)
class Fetcher:
    """``get(url)`` -> :class:`Fetched`, or :class:`FetchError` with the reason."""

    user_agent: str  # names the project (setting feed_user_agent)
    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise BadValueError(f"timeout={self.timeout} must be positive")
        if self.max_bytes < 1:
            raise BadValueError(f"max_bytes={self.max_bytes} must be at least 1")

    @classmethod
    def from_settings(cls, settings: Settings) -> Fetcher:
        """What fetches feeds and pages, with the limits the settings give."""
        return cls(settings.feed_user_agent, settings.feed_timeout, settings.feed_max_bytes,
                   settings.feed_max_redirects)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen: list[str] = []
        with httpx.Client(timeout=self.timeout, follow_redirects=False, headers=headers) as client:
            while True:
                try:
                    url = check_url(url)
                except ValueError as error:
                    raise FetchError(f"{seen[-1] if seen else url}: {error}") from None
                if url in seen:
                    raise FetchError(f"{seen[0]}: redirect loop ({' -> '.join([*seen, url])})")
                if len(seen) > self.max_redirects:
                    raise FetchError(f"{seen[0]}: more than {self.max_redirects} redirects")
                seen.append(url)
                fetched = self._one(client, url)
                if isinstance(fetched, Fetched):
                    return fetched
                url = fetched  # the next hop

    def _one(self, client: httpx.Client, url: str) -> Fetched | str:
        """One request: the page, or the URL a redirect points at."""
        try:
            with client.stream("GET", url) as response:
                if response.status_code == 304:
                    return Fetched(url, 304, b"", etag=response.headers.get("etag"),
                                   last_modified=response.headers.get("last-modified"))
                if response.is_redirect:
                    return urljoin(url, response.headers.get("location", ""))
                if response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"{url}: {int(declared):,} bytes, larger than the limit of "
                                     f"{self.max_bytes:,} bytes")
                body, deadline = bytearray(), time.monotonic() + 3 * self.timeout  # a server that trickles
                for piece in response.iter_bytes():
                    body += piece
                    if len(body) > self.max_bytes:
                        raise FetchError(f"{url}: larger than the limit of {self.max_bytes:,} bytes")
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: still sending after {3 * self.timeout:g} s")
                return Fetched(str(response.url), response.status_code, bytes(body),
                               response.headers.get("content-type", ""), response.headers.get("etag"),
                               response.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(f"{url}: no answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {type(error).__name__}: {error}") from None
