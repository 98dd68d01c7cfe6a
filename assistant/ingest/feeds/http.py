"""Polite, guarded HTTP for feeds and pages (httpx), the only code that talks HTTP to the outside.

http/https only, a user agent naming the project, timeouts, a size limit read as the body arrives,
redirects followed one by one within a limit (a loop is named), and conditional GET (ETag /
Last-Modified) so an unchanged feed costs one 304. Every hop's host is resolved once and each of its
addresses checked (:class:`FetchGuard`): loopback, private, link-local (the cloud metadata address among
them), multicast, reserved and unspecified addresses are refused in every spelling ("0x7f000001",
"2130706433", "[::ffff:127.0.0.1]", a name that resolves to one), unless the user allows the host or its
network (setting ``fetch_allow_hosts``). The request then goes to the address that was checked, never
to a second resolution of the name.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse, urlsplit, urlunsplit

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


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _refused_kind(address: IPAddress) -> str | None:
    """Why an address is not fetched without the user's leave, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # "::ffff:127.0.0.1" is 127.0.0.1
    for kind, test in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                       ("multicast", address.is_multicast), ("unspecified", address.is_unspecified),
                       ("reserved", address.is_reserved), ("private", address.is_private)):
        if test:
            return kind
    return None if address.is_global else "private"


@dataclass(frozen=True)
class FetchGuard:
    """Which addresses a fetch may reach: public ones, and the hosts or networks the user allows
    (``fetch_allow_hosts``: "127.0.0.1", "intranet.example", "10.0.0.0/8")."""

    allow: tuple[str, ...] = ()
    hosts: frozenset[str] = field(init=False)
    networks: tuple[IPNetwork, ...] = field(init=False)

    def __post_init__(self) -> None:
        hosts, networks = set(), []
        for entry in (a.strip().lower().strip("[]") for a in self.allow if a and a.strip()):
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        object.__setattr__(self, "hosts", frozenset(hosts))
        object.__setattr__(self, "networks", tuple(networks))

    @classmethod
    def of(cls, allow: str | Iterable[str] | None) -> FetchGuard:
        """From the setting: a comma-separated string, or a list."""
        entries = allow.split(",") if isinstance(allow, str) else list(allow or ())
        return cls(tuple(entries))

    def address_for(self, url: str) -> str:
        """The one address to connect to for ``url``'s host, resolved once and checked, or FetchError naming
        the host, the address and the setting that would allow it."""
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise FetchError(f"{url}: the host {host!r} cannot be resolved ({error})") from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found))
        if not addresses:
            raise FetchError(f"{url}: the host {host!r} has no address")
        if host.lower() in self.hosts:
            return str(addresses[0])
        for address in addresses:  # every address of the name: one internal address refuses it
            kind = _refused_kind(address)
            if kind and not any(address in network for network in self.networks):
                raise FetchError(f"{url}: {host} is a {kind} address ({address}); fetching it needs the user's "
                                 f"leave: add it to the setting fetch_allow_hosts (ASSISTANT_FETCH_ALLOW_HOSTS)")
        return str(addresses[0])


def pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The request for ``url`` sent to ``address``: the URL with the address as its host, the Host header,
    and the name TLS checks the certificate against (no second lookup of the name)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{address}]" if ":" in address else address
    if parts.port:
        netloc += f":{parts.port}"
    header = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": header}, {"sni_hostname": host}


@dataclass(frozen=True)
class Fetcher:
    """``get(url)`` -> :class:`Fetched`, or :class:`FetchError` with the reason."""

    user_agent: str  # names the project (setting feed_user_agent)
    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    guard: FetchGuard = field(default_factory=FetchGuard)  # which addresses it may reach

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise BadValueError(f"timeout={self.timeout} must be positive")
        if self.max_bytes < 1:
            raise BadValueError(f"max_bytes={self.max_bytes} must be at least 1")

    @classmethod
    def from_settings(cls, settings: Settings) -> Fetcher:
        """What fetches feeds and pages, with the limits the settings give."""
        return cls(settings.feed_user_agent, settings.feed_timeout, settings.feed_max_bytes,
                   settings.feed_max_redirects, FetchGuard.of(settings.fetch_allow_hosts))

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
        """One request: the page, or the URL a redirect points at (checked like any URL before it is fetched)."""
        address = self.guard.address_for(url)
        target, host, extensions = pinned(url, address)
        try:
            with client.stream("GET", target, headers=host, extensions=extensions) as response:
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
                return Fetched(url, response.status_code, bytes(body),
                               response.headers.get("content-type", ""), response.headers.get("etag"),
                               response.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(f"{url}: no answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {type(error).__name__}: {error}") from None
