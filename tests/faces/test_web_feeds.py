"""The Articles tab's feeds panel in process: follow, refuse, poll, add a link."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.faces.web.feeds import FeedsPanel

from ..feedserver import FeedServer, Route, page, rss
from ..ingest.test_feeds import OTHER, STORY


@pytest.fixture
def web():
    server = FeedServer()
    yield server
    server.close()


def test_follow_poll_and_add_a_link_from_the_page(web, tmp_path, monkeypatch):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rain"] = Route(page("Rain <b>floods</b> old town", OTHER))
    web.routes["/rss"] = Route(rss("Times", ("h1", "Harbour reopens", web.url("/harbour"), "x")))
    bot = Assistant(articles_dir=tmp_path / "articles", index_dir=tmp_path / "index")
    monkeypatch.setattr(bot, "update_index", lambda **kw: type("Report", (), {"summary": lambda self: "1 added"})())
    panel = FeedsPanel(bot)
    message, rows, box = panel.follow(web.url("/rss"), "5m")
    assert "Following" in message and rows[0][:3] == ["127.0.0.1", web.url("/rss"), "5m"] and box == ""
    message, _, box = panel.follow("javascript:alert(1)", "5m")
    assert message.startswith("**Refused:**") and box == "javascript:alert(1)"  # kept to correct
    message, rows = panel.poll()
    assert "1 new" in message and rows[0][4] == 1 and rows[0][5] == "ok"
    message, box = panel.add_link(web.url("/rain"))
    assert message.startswith("Saved:") and "1 added" in message and box == ""
    message, box = panel.add_link(web.url("/missing"))
    assert "HTTP 404" in message and box == web.url("/missing")
