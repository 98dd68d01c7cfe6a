"""`assistant feeds …` and `assistant add URL` in process (no model is loaded by these commands)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.faces.cli.main import main
from assistant.ingest.readers.text import front_matter

from ..feedserver import FeedServer, Route, page, rss
from ..fixtures.pdfgen import pdf_bytes
from ..ingest.test_feeds import OTHER, STORY


@pytest.fixture
def web():
    server = FeedServer()
    yield server
    server.close()


def run(tmp_path: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_follow_list_and_remove_a_feed(web, tmp_path, capsys):
    web.routes["/rss"] = Route(rss("Times"), "application/rss+xml")
    code, out, _ = run(tmp_path, capsys, "feeds", "add", web.url("/rss"), "--every", "2h", "--name", "times")
    assert code == 0 and "Following Times" in out and "every 2h" in out, out  # fetched at once: named by its title
    assert "First poll: Times: 0 new, 0 updated, 0 unchanged, 0 duplicates" in out
    code, _, err = run(tmp_path, capsys, "feeds", "add", web.url("/rss"))
    assert code == 2 and "already followed as 'times'" in err
    code, _, err = run(tmp_path, capsys, "feeds", "add", "http://x/rss", "--every", "often")
    assert code == 2 and "every='often'" in err
    code, out, _ = run(tmp_path, capsys, "feeds", "add", web.url("/gone"), "--name", "gone")
    assert code == 1 and "First poll: gone: failed" in out and "HTTP 404" in out and "feeds remove gone" in out
    code, out, _ = run(tmp_path, capsys, "feeds", "add", web.url("/later"), "--name", "later", "--no-poll")
    assert code == 0 and "First poll" not in out
    _, out, _ = run(tmp_path, capsys, "feeds", "list", "--json")
    listed = {f["name"]: f for f in json.loads(out)}
    assert (listed["times"]["shown"], listed["times"]["every_text"]) == ("Times", "2h")
    assert listed["times"]["last_poll"] is not None and listed["later"]["last_poll"] is None
    assert listed["gone"]["state"].startswith("FAILING (1x)")
    code, out, _ = run(tmp_path, capsys, "feeds", "rename", "times", "Harbour  Times")
    assert code == 0 and out.strip() == "times is now called Harbour Times."
    assert "times (Harbour Times)  " in run(tmp_path, capsys, "feeds", "list")[1]
    code, out, _ = run(tmp_path, capsys, "feeds", "remove", "Harbour Times")  # by its title, too
    assert code == 0 and "No longer following Harbour Times" in out
    for name in ("gone", "later"):
        assert run(tmp_path, capsys, "feeds", "remove", name)[0] == 0
    assert "No feeds" in run(tmp_path, capsys, "feeds", "list")[1]


def test_poll_reports_each_feed_and_fails_when_one_does(web, tmp_path, capsys, monkeypatch):
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rss"] = Route(rss("Times", ("h1", "Harbour reopens", web.url("/harbour"), "x")))
    run(tmp_path, capsys, "feeds", "add", web.url("/rss"), "--name", "times", "--no-poll")
    run(tmp_path, capsys, "feeds", "add", web.url("/missing"), "--name", "gone", "--no-poll")
    updates = []
    monkeypatch.setattr("assistant.core.Assistant.update_index", lambda self, **kw: updates.append(1))
    code, out, _ = run(tmp_path, capsys, "feeds", "poll")
    assert code == 1 and "Times: 1 new" in out and "gone: failed" in out and "HTTP 404" in out
    assert updates == [1]  # the new article is indexed
    _, out, _ = run(tmp_path, capsys, "feeds", "list")
    assert "FAILING (1x)" in out and "1 article " in out


def test_add_a_page_or_a_pdf_by_its_link(web, tmp_path, capsys):
    web.routes["/rain"] = Route(page("Rain floods old town", OTHER, site="Coast News"))
    budget = pdf_bytes([["The council approved the harbour budget on Monday after a long debate."]])
    web.routes["/files/budget.pdf"] = Route(budget, "application/pdf")
    code, out, _ = run(tmp_path, capsys, "add", web.url("/rain?utm_source=x"), "--no-index")
    assert code == 0 and "rain-floods-old-town.md" in out
    meta, text = front_matter((tmp_path / "articles" / "rain-floods-old-town.md").read_text())
    assert meta["source"] == "Coast News" and meta["date"] == "2026-11-20" and "forty cellars" in text
    assert run(tmp_path, capsys, "add", web.url("/files/budget.pdf"), "--no-index")[0] == 0
    assert (tmp_path / "articles" / "budget.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = run(tmp_path, capsys, "add", web.url("/nothing"), "--no-index")
    assert code == 2 and "HTTP 404" in err and web.url("/nothing") in err


def test_a_page_a_feed_already_brought_is_not_added_twice_nor_the_other_way(web, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("assistant.core.Assistant.update_index", lambda self, **kw: None)
    web.routes["/harbour"] = Route(page("Harbour reopens", STORY))
    web.routes["/rain"] = Route(page("Rain floods old town", OTHER))
    web.routes["/rss"] = Route(rss("Times", ("h1", "Harbour reopens", web.url("/harbour"), "x"),
                                   ("h2", "Rain floods old town", web.url("/rain"), "y")), "application/rss+xml")
    code, out, _ = run(tmp_path, capsys, "add", web.url("/rain"), "--no-index")  # added by hand first
    assert code == 0 and "rain-floods-old-town.md" in out
    code, out, _ = run(tmp_path, capsys, "feeds", "add", web.url("/rss"), "--name", "times")
    assert code == 0 and "First poll: Times: 1 new, 0 updated, 0 unchanged, 1 duplicate" in out
    files = sorted(p.relative_to(tmp_path / "articles").as_posix() for p in (tmp_path / "articles").rglob("*.md"))
    assert len(files) == 2 and "rain-floods-old-town.md" in files
    hits = web.hits("/harbour")
    code, out, _ = run(tmp_path, capsys, "add", web.url("/harbour?utm_source=rss"), "--no-index")
    assert code == 0 and "is already in the articles folder as feeds/times/" in out and "nothing was saved" in out
    assert web.hits("/harbour") == hits  # not even fetched again
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 2
