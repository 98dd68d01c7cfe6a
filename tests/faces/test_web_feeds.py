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
    message, rows, box, chosen = panel.follow(web.url("/rss"), "5m")  # fetched at once, named by its title
    assert message.startswith("Following **Times**: Times: 1 new, 0 updated, 0 unchanged, 0 duplicates") and box == ""
    assert rows[0] == ["Times", web.url("/rss"), "5m", rows[0][3], 1, "ok"] and rows[0][3] != "never"
    assert chosen["choices"] == [("Times", "127.0.0.1")]
    message, _, box, _ = panel.follow("javascript:alert(1)", "5m")
    assert message.startswith("**Refused:**") and box == "javascript:alert(1)"  # kept to correct
    message, rows = panel.poll()
    assert "0 new" in message and "1 unchanged" in message and rows[0][4] == 1 and rows[0][5] == "ok"
    message, box = panel.add_link(web.url("/rain"))
    assert message.startswith("Saved:") and "1 added" in message and box == ""
    message, box = panel.add_link(web.url("/missing"))
    assert "HTTP 404" in message and box == web.url("/missing")


def test_a_feed_that_fails_its_first_fetch_says_so_at_once_and_can_be_renamed_and_removed(web, tmp_path):
    web.routes["/broken"] = Route(b"<rss><channel><title>Half</tit", "application/rss+xml")
    bot = Assistant(articles_dir=tmp_path / "articles", index_dir=tmp_path / "index")
    panel = FeedsPanel(bot)
    message, rows, box, _ = panel.follow(web.url("/missing.xml"), "30m")
    assert message.startswith("**Following 127.0.0.1, but its first fetch failed:**") and "HTTP 404" in message
    assert "remove it below" in message and box == "" and rows[0][5].startswith("FAILING (1x)")
    message, rows, _, _ = panel.follow(web.url("/broken"), "30m")
    assert "is not an RSS or Atom feed that can be read" in message and "feedparser" not in message
    message, rows, title, chosen = panel.rename("127.0.0.1", "The missing feed")
    assert message == "Renamed: **The missing feed**." and title == "" and rows[0][0] == "The missing feed"
    assert ("The missing feed", "127.0.0.1") in chosen["choices"]
    assert panel.rename("127.0.0.1", "  ")[0].startswith("**Refused:** title=")
    message, rows, chosen = panel.remove("127.0.0.1")
    assert message.startswith("No longer following **The missing feed**") and len(rows) == 1
    assert panel.remove(None)[0] == "Choose a feed to remove."


def test_a_feed_that_never_answers_is_said_at_once_with_how_long_it_was_given(web, tmp_path):
    web.routes["/slow"] = Route(hang=True)
    bot = Assistant(articles_dir=tmp_path / "articles", index_dir=tmp_path / "index", feed_timeout=1.0)
    message, rows, _, _ = FeedsPanel(bot).follow(web.url("/slow"), "30m")
    assert "its first fetch failed" in message and "no answer within 1 s" in message  # not "Following …; polled"
    assert rows[0][5].startswith("FAILING (1x)")
