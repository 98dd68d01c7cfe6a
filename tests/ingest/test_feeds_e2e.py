"""End to end: with `assistant serve` running and a feed followed, a new entry published on a local server
becomes answerable in the running chat, cited with its title, date, outlet and link, without a restart."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from ..conftest import Server, run_cli, serve_seeds
from ..feedserver import FeedServer, Route, page, rss
from .test_feeds import OTHER, STORY


def ask(server: Server, question: str) -> dict:
    body = json.dumps({"messages": [{"role": "user", "content": question}]}).encode()
    request = urllib.request.Request(f"{server.url}/v1/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def answered(server: Server, question: str, needle: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        reply = ask(server, question)
        if needle in reply["choices"][0]["message"]["content"] or time.monotonic() > deadline:
            return reply
        time.sleep(1)


@pytest.mark.e2e
def test_a_new_feed_entry_becomes_answerable_in_the_running_chat(tmp_path, monkeypatch):
    web = FeedServer()
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rss"] = Route(rss("Harbour Times", ("h1", "Harbour reopens", web.url("/harbour"), "x")), etag=True)
    monkeypatch.setenv("ASSISTANT_FEED_CHECK_SECONDS", "1")
    server = serve_seeds(tmp_path)
    where = ("--articles", str(server.articles), "--index", str(server.index))
    try:
        added = run_cli(*where, "feeds", "add", web.url("/rss"), "--every", "5s", "--name", "harbour")
        assert added.returncode == 0, added.stderr
        reply = answered(server, "Who cut the ribbon at the harbour of Varel?", "Ilse Brandt")
        assert "Ilse Brandt" in reply["choices"][0]["message"]["content"], server.log

        web.routes["/rain"] = Route(page("Rain floods old town", OTHER))
        web.routes["/rss"] = Route(rss("Harbour Times", ("r1", "Rain floods old town", web.url("/rain"), "x"),
                                       ("h1", "Harbour reopens", web.url("/harbour"), "x")), etag=True)
        reply = answered(server, "How many cellars did firefighters pump water from?", "forty")
        assert "forty" in reply["choices"][0]["message"]["content"], server.log
        cited = reply["citations"][0]
        assert (cited["title"], cited["date"], cited["publisher"], cited["url"]) == \
            ("Rain floods old town", "2026-11-20", "Harbour Times", web.url("/rain"))
        assert web.hits("/harbour") == 1  # seen entries are not fetched again
        listed = json.loads(run_cli(*where, "feeds", "list", "--json").stdout)
        assert listed[0]["articles"] == 2 and listed[0]["last_error"] is None
    finally:
        server.stop()
        web.close()
