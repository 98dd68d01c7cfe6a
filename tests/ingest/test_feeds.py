"""Feeds and pages against a real local HTTP server: what is stored, what is not, and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import FetchError
from assistant.ingest.feeds.book import FeedShelf, parse_every
from assistant.ingest.feeds.http import Fetcher, FetchGuard
from assistant.ingest.feeds.poller import FeedPoller
from assistant.ingest.load import url_key
from assistant.ingest.readers.text import front_matter

from ..feedserver import FeedServer, Route, atom, page, rss

LOCAL = FetchGuard(("127.0.0.1",))  # the test servers' address, allowed as a user would

STORY = ("The harbour of Varel reopened on Monday after three weeks of repairs to the sea wall, "
         "the port authority said. Mayor Ilse Brandt cut the ribbon before four hundred visitors.")
OTHER = ("Heavy rain flooded the old town of Varel on Tuesday night. Firefighters pumped water from "
         "forty cellars, and the river level fell again by the morning, officials said.")


@pytest.fixture
def web():
    server = FeedServer()
    yield server
    server.close()


def poller(tmp_path: Path, n: int = 20, **limits) -> FeedPoller:
    fetcher = Fetcher("news-assistant-test", **({"timeout": 2.0, "guard": LOCAL} | limits))
    return FeedPoller(FeedShelf(tmp_path / "index"), tmp_path / "articles", fetcher, max_entries=n)


def follow(p: FeedPoller, url: str, name: str) -> None:
    with p.shelf.editing() as book:
        book.add(url, "30m", name)


def stored(p: FeedPoller) -> dict[str, tuple[dict, str]]:
    return {str(f.relative_to(p.articles_dir)): front_matter(f.read_text()) for f in p.articles_dir.rglob("*.md")}


def test_rss_and_atom_entries_become_articles_with_front_matter(web, tmp_path):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rain"] = Route(page("Rain floods old town", OTHER))
    web.routes["/rss"] = Route(rss("Harbour Times", ("h1", "Harbour reopens", web.url("/harbour"), "Short.")),
                               "application/rss+xml")
    web.routes["/atom"] = Route(atom("Coast News", ("urn:r1", "Rain floods old town", web.url("/rain"), "Short.")),
                                "application/atom+xml")
    p = poller(tmp_path)
    follow(p, web.url("/rss"), "times")
    follow(p, web.url("/atom"), "coast")
    reports = {r.feed: r for r in p.poll()}
    assert len(reports["times"].new) == 1 and len(reports["coast"].new) == 1, reports
    files = stored(p)
    (meta, text), = [v for k, v in files.items() if k.startswith("feeds/times/")]
    assert meta["title"] == "Harbour reopens" and meta["date"] == "2026-11-20" and meta["feed"] == "times"
    assert meta["url"] == web.url("/harbour") and meta["guid"].endswith("h1") and meta["source"] == "Harbour Times"
    assert "Mayor Ilse Brandt" in text and "Home | World" not in text  # the page's article, not its furniture
    (meta, text), = [v for k, v in files.items() if k.startswith("feeds/coast/")]
    assert meta["date"] == "2026-11-21" and "forty cellars" in text


def test_a_feed_that_gains_entries_stores_only_the_new_one(web, tmp_path):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rain"] = Route(page("Rain floods old town", OTHER))
    item = ("h1", "Harbour reopens", web.url("/harbour"), "Short.")
    web.routes["/rss"] = Route(rss("Times", item))
    p = poller(tmp_path)
    follow(p, web.url("/rss"), "times")
    assert len(p.poll()[0].new) == 1
    web.routes["/rss"] = Route(rss("Times", ("h2", "Rain floods old town", web.url("/rain"), "Short."), item))
    second = p.poll()[0]
    assert len(second.new) == 1 and second.unchanged == 1
    assert web.hits("/harbour") == 1  # an entry already seen is not fetched again
    assert len(stored(p)) == 2


def test_an_entry_edited_after_publication_updates_its_article(web, tmp_path):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rss"] = Route(rss("Times", ("h1", "Harbour reopens", web.url("/harbour"), "Short.")))
    p = poller(tmp_path)
    follow(p, web.url("/rss"), "times")
    first = p.poll()[0].new[0]
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY.replace("four hundred", "six hundred")))
    web.routes["/rss"] = Route(rss("Times", ("h1", "Harbour reopens (updated)", web.url("/harbour"), "Short.")))
    report = p.poll()[0]
    assert report.updated == [first] and not report.new
    meta, text = stored(p)[first]
    assert "six hundred" in text and meta["title"] == "Harbour reopens (updated)"


def test_the_same_story_in_two_feeds_is_stored_once(web, tmp_path):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/copy"] = Route(page("Harbour reopens", STORY))  # the same text at another address
    web.routes["/a"] = Route(rss("A", ("a1", "Harbour reopens", web.url("/harbour?utm_source=a"), "x")))
    web.routes["/b"] = Route(rss("B", ("b1", "Harbour reopens", web.url("/harbour#top"), "x")))
    web.routes["/c"] = Route(atom("C", ("c1", "Harbour reopens", web.url("/copy"), "x")))
    p = poller(tmp_path)
    for name in ("a", "b", "c"):
        follow(p, web.url(f"/{name}"), name)
    reports = p.poll()
    assert [len(r.new) for r in reports] == [1, 0, 0] and [r.duplicates for r in reports] == [0, 1, 1]
    assert len(stored(p)) == 1 and web.hits("/harbour?utm_source=a") == 1


def test_etag_304_costs_one_request_and_stores_nothing(web, tmp_path):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rss"] = Route(rss("Times", ("h1", "Harbour reopens", web.url("/harbour"), "x")), etag=True)
    p = poller(tmp_path)
    follow(p, web.url("/rss"), "times")
    p.poll()
    again = p.poll()[0]
    assert again.not_modified and not again.new
    assert web.requests[-1][1].get("If-None-Match") and web.hits("/harbour") == 1


@pytest.mark.parametrize(("route", "reason"), [
    (Route(b"<html><body>not a feed at all</body>", "text/html"), "is not an RSS or Atom feed that can be read (it "
     "is a web page: follow the RSS or Atom link the page gives)"),
    (Route(b"<rss><channel><title>Half</tit", "application/rss+xml"), "(its XML is broken: unclosed token)"),
    (None, "HTTP 404"),
    (Route(hang=True), "no answer within"),
    (Route(b"x" * 5000, "application/rss+xml"), "limit of 4,000 bytes"),
    (Route(status=302, location="/loop-b"), "redirect loop"),
])
def test_a_broken_feed_is_reported_and_never_stops_the_others(web, tmp_path, route, reason):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/good"] = Route(rss("Times", ("h1", "Harbour reopens", web.url("/harbour"), "x")))
    web.routes["/loop-b"] = Route(status=302, location="/bad")
    if route is not None:
        web.routes["/bad"] = route
    p = poller(tmp_path, timeout=1.0, max_bytes=4000)
    follow(p, web.url("/bad"), "bad")
    follow(p, web.url("/good"), "good")
    bad, good = p.poll()
    assert bad.error and reason in bad.error, bad.error
    assert len(good.new) == 1
    feed = p.shelf.read().feeds["bad"]
    assert feed.failures == 1 and reason in feed.last_error
    assert not feed.due(feed.last_poll + feed.every) and feed.due(feed.last_poll + 2 * feed.every)  # backoff


def test_a_linked_pdf_or_failing_page_falls_back_to_the_entry_text(web, tmp_path):
    web.routes["/report.pdf"] = Route(b"%PDF-1.4 not really", "application/pdf")
    web.routes["/huge"] = Route(page("Huge", STORY * 400))
    web.routes["/rss"] = Route(rss("Times", ("p1", "Budget report", web.url("/report.pdf"), OTHER),
                                   ("p2", "Gone", web.url("/gone"), "Too short."),
                                   ("p3", "Huge page", web.url("/huge"), STORY)))
    p = poller(tmp_path, max_bytes=20_000)
    follow(p, web.url("/rss"), "times")
    report = p.poll()[0]
    assert len(report.new) == 2
    assert any("stored from the feed's own text" in problem and "application/pdf" in problem
               for problem in report.problems), report.problems
    assert any("Gone: left out" in problem and "404" in problem for problem in report.problems)
    assert any("Huge page: stored from" in problem and "limit of 20,000 bytes" in problem
               for problem in report.problems)
    meta, text = stored(p)[report.new[0]]
    assert "forty cellars" in text and meta["title"] == "Budget report"


def test_at_most_n_new_entries_per_poll(web, tmp_path):
    items = [(f"g{i}", f"Story {i}", web.url(f"/s{i}"), f"{OTHER} Number {i}.") for i in range(5)]
    web.routes["/rss"] = Route(rss("Times", *items))
    p = poller(tmp_path, n=2)
    follow(p, web.url("/rss"), "times")
    assert [len(p.poll()[0].new) for _ in range(3)] == [2, 2, 1]


def test_fetcher_refuses_other_schemes_and_names_the_url():
    with pytest.raises(FetchError, match="file:///etc/passwd"):
        Fetcher("t").get("file:///etc/passwd")


def test_feed_book_names_bad_values(tmp_path):
    shelf = FeedShelf(tmp_path)
    with shelf.editing() as book:
        book.add("https://example.com/rss", "2h")
        with pytest.raises(ValueError, match=r"already followed as 'example\.com'"):
            book.add("https://example.com/rss")
        with pytest.raises(ValueError, match="not an http or https URL"):
            book.add("ftp://example.com/rss")
        with pytest.raises(ValueError, match="no feed named 'nope'"):
            book.remove("nope")
    assert shelf.read().feeds["example.com"].every == 7200
    assert parse_every("90s") == 90 and parse_every("30") == 1800
    with pytest.raises(ValueError, match="every='soon'"):
        parse_every("soon")


def test_a_link_is_known_without_tracking_fragments_and_trailing_slashes():
    assert url_key("HTTPS://Example.com/a/?utm_source=x&id=3#top") == url_key("https://example.com/a?id=3")


def test_a_feed_with_a_lone_surrogate_stops_neither_itself_nor_the_others(web, tmp_path):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/flood"] = Route(page("Flood in the old town", OTHER))
    odd = rss("Odd &#xD800; Times", ("o1", "Harbour &#xD800;reopens", web.url("/harbour"), "x &#xD800;"))
    web.routes["/odd"] = Route(odd, "application/rss+xml")
    web.routes["/good"] = Route(rss("Times", ("g1", "Flood", web.url("/flood"), "x")), "application/rss+xml")
    p = poller(tmp_path)
    follow(p, web.url("/odd"), "odd")
    follow(p, web.url("/good"), "good")
    odd_report, good_report = p.poll()
    assert not good_report.error and len(good_report.new) == 1
    assert not odd_report.error and len(odd_report.new) == 1
    files = stored(p)
    assert any(meta.get("title", "").startswith("Harbour") for meta, _ in files.values())
    decimal = rss("Odd", ("o2", "Storm &#55296; warning", web.url("/flood"), "x"))
    web.routes["/odd"] = Route(decimal, "application/rss+xml")
    assert not p.poll("odd")[0].error
    assert (tmp_path / "index" / "feeds.json").read_text(encoding="utf-8")  # the book was saved whole


def test_an_entry_that_cannot_be_stored_is_named_and_counted_beside_ok(web, tmp_path):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rss"] = Route(rss("Times", ("h1", "Harbour reopens", web.url("/harbour"), "x"), ("h2", "", "", "")))
    p = poller(tmp_path)
    follow(p, web.url("/rss"), "times")
    [report] = p.poll()
    assert len(report.new) == 1 and report.problems == [
        "an entry without a title or link: left out: the page failed (it has no link) and the entry has no text "
        "of its own"]  # was " - : left out: …"
    state = p.shelf.read().feeds["times"].to_dict()["state"]
    assert state == "ok; 1 entry of its last poll could not be stored"  # not a plain "ok"
