"""A real local HTTP server for the feed tests: routes that can change between polls, ETags, 304s,
errors, a path that never answers, redirects and big bodies. No internet involved."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # a redirect
    etag: bool = False  # answer If-None-Match with 304 when the body is unchanged
    hang: bool = False  # never answer (until the server stops)


@dataclass
class FeedServer:
    """``server.routes["/feed.xml"] = Route(...)``; ``server.url("/feed.xml")``; ``server.requests`` logs paths."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                owner.requests.append((self.path, dict(self.headers)))
                route = owner.routes.get(self.path.split("?")[0])  # like a real site, queries ignored
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.hang:
                    owner._stop.wait(60)
                    return
                tag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                if route.etag and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.location:
                    self.send_header("Location", route.location)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", tag)
                self.end_headers()
                self.wfile.write(route.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def page(title: str, *paragraphs: str, date: str = "2026-11-20", site: str = "Harbour Times") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html><head><title>{title}</title><meta property="og:site_name" content="{site}">'
            f'<meta property="article:published_time" content="{date}"></head><body><nav>Home | World</nav>'
            f"<article><h1>{title}</h1>{body}</article><footer>© {site}</footer></body></html>").encode()


def rss(title: str, *items: tuple[str, str, str, str]) -> bytes:
    """RSS 2.0; each item is (guid, title, link, description)."""
    entries = "".join(f"<item><guid>{g}</guid><title>{t}</title><link>{link}</link><description>{d}</description>"
                      f"<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>" for g, t, link, d in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>http://x</link>'
            f"<description>d</description>{entries}</channel></rss>").encode()


def atom(title: str, *items: tuple[str, str, str, str]) -> bytes:
    """Atom 1.0; each item is (id, title, link, content)."""
    entries = "".join(f'<entry><id>{i}</id><title>{t}</title><link href="{link}"/><updated>2026-11-21T09:00:00Z'
                      f'</updated><content type="html">{c}</content></entry>' for i, t, link, c in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}'
            f"</title><id>urn:feed</id><updated>2026-11-21T09:00:00Z</updated>{entries}</feed>").encode()
