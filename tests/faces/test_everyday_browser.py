"""What a chat-app user expects, in Chromium on a desktop and on a 390 px phone: regenerate an answer, edit a
sent question and send it again (the kept conversation follows), thumbs, the whole cited article, and the
feeds panel (followed and fetched at once, a failing feed said there, renamed, removed)."""

from __future__ import annotations

import shutil

import pytest

from ..conftest import SEEDS, Server, run_cli
from ..feedserver import FeedServer, Route, rss
from ..feedserver import page as article_page
from ..ingest.test_feeds import STORY
from .test_web_browser import FESTIVAL_ARTICLE, SHOTS, ask, browser, open_conversations, opened, playwright

__all__ = ["browser"]  # a fixture, used by name
SCREENS = {"desktop": {"width": 1300, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("everyday")
    shutil.copytree(SEEDS, base / "articles")
    (base / "articles" / "lantern-festival.txt").write_text(FESTIVAL_ARTICLE)
    indexed = run_cli("--articles", str(base / "articles"), "--index", str(base / "index"), "index")
    assert indexed.returncode == 0, indexed.stderr
    server = Server(base / "articles", base / "index", base / "server.log")
    yield server
    server.stop()


@pytest.fixture(params=list(SCREENS))
def page(request, browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=SCREENS[request.param])
    page.screen = request.param
    page.goto(server.url)
    page.locator("#question textarea").wait_for()
    page.locator("#new-conversation").click()  # each screen starts its own conversation
    yield page
    page.close()


def test_regenerate_and_an_edited_question_take_the_place_of_the_old_answer(page):
    open_conversations(page)
    ask(page, "How many visitors came?", "40,000")
    ask(page, "Who opened the festival?", "Hanna Brink", short="Hanna Brink")
    opened(page, "How many visitors came? · 2 questions")

    page.locator("#chat").get_by_label("Retry").last.click()  # regenerate: the last answer is asked again
    playwright.expect(page.locator("#chat strong").last).to_have_text("Hanna Brink", timeout=60_000)
    playwright.expect(page.locator("#chat .bot")).to_have_count(2, timeout=30_000)
    playwright.expect(page.locator("#chat .user")).to_have_count(2)
    page.wait_for_timeout(1_000)  # kept in the old answer's place: still two questions
    opened(page, "How many visitors came? · 2 questions")

    first = page.locator("#chat .user").first
    first.hover()
    page.locator("#chat").get_by_label("Edit").first.click()  # edit the first question and send it again
    editor = page.locator("#chat textarea").first
    editor.fill("When was the lantern festival postponed?")
    page.locator("#chat").get_by_label("Submit").first.click()
    page.locator("#chat .bot").filter(has_text="storms").first.wait_for(timeout=60_000)
    playwright.expect(page.locator("#chat .user")).to_have_count(1, timeout=30_000)  # the later turn is dropped
    assert "When was the lantern festival postponed?" in page.locator("#chat .user").first.inner_text()
    assert "Hanna Brink" not in page.locator("#chat").inner_text()
    page.locator("#sources .source").filter(has_text="postponed").first.wait_for(timeout=30_000)
    opened(page, "When was the lantern festival postponed? · 1 question")  # named after its first question
    page.screenshot(path=str(SHOTS / f"edited-and-sent-again-{page.screen}.png"))

    page.reload()  # the kept conversation is the edited one
    page.locator("#chat .bot").filter(has_text="storms").first.wait_for(timeout=30_000)
    playwright.expect(page.locator("#chat .user")).to_have_count(1)
    assert "When was the lantern festival postponed?" in page.locator("#chat .user").first.inner_text()


def test_thumbs_and_the_whole_cited_article_on_every_screen(page):
    ask(page, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
    page.locator("#chat").get_by_label("Like").last.click()
    playwright.expect(page.locator("#chat").get_by_label("Liked")).to_have_count(1, timeout=10_000)
    whole = page.locator("#sources .source details.source-article").first
    whole.locator("summary").click()  # the whole article the citation comes from, as text
    playwright.expect(whole).to_contain_text("Palmyra", timeout=10_000)
    box = whole.bounding_box()
    assert box and box["width"] <= SCREENS[page.screen]["width"]  # it fits the screen, phone included
    page.screenshot(path=str(SHOTS / f"thumbs-and-whole-article-{page.screen}.png"), full_page=True)


@pytest.fixture
def feeds_site():
    site = FeedServer()
    site.routes["/harbour"] = Route(article_page("Harbour reopens", STORY))
    site.routes["/rss"] = Route(rss("Harbour Times", ("h1", "Harbour reopens", site.url("/harbour"), "x")))
    site.routes["/broken.xml"] = Route(b"<rss><channel><title>Half</tit", "application/rss+xml")
    yield site
    site.close()


def test_feeds_are_fetched_when_followed_said_when_failing_renamed_and_removed(page, feeds_site):
    page.get_by_role("tab", name="Articles").click()
    message = page.locator("#feeds-message")
    page.locator("#feed-url").get_by_role("textbox").fill(feeds_site.url("/broken.xml"))
    page.locator("#follow").click()
    playwright.expect(message).to_contain_text("its first fetch failed", timeout=60_000)  # said at once
    playwright.expect(message).to_contain_text("is not an RSS or Atom feed that can be read")
    assert "feedparser" not in message.inner_text()

    page.locator("#feed-url").get_by_role("textbox").fill(feeds_site.url("/rss"))
    page.locator("#follow").click()
    playwright.expect(message).to_contain_text("Following Harbour Times", timeout=120_000)  # by its own title
    playwright.expect(page.locator("#feeds")).to_contain_text("Harbour Times", timeout=30_000)
    status = page.locator("#feeds .virtual-row .body-cell").filter(has_text="FAILING")
    table = page.locator("#feeds").bounding_box()
    if page.screen == "desktop":  # the whole reason reads in the table (it was cut off: "…missing.xml: HT")
        box = status.bounding_box()
        assert table and box and box["x"] + box["width"] <= table["x"] + table["width"] + 1
        assert status.evaluate("cell => cell.scrollWidth <= cell.clientWidth + 1")
        assert page.locator("#feeds th").filter(has_text="Articles").bounding_box()["width"] >= 70  # not "Ar ti cl es"
    else:  # a phone scrolls the table sideways to it
        assert page.locator("#feeds .virtual-table-viewport").evaluate("v => v.scrollWidth > v.clientWidth")
    page.screenshot(path=str(SHOTS / f"feeds-followed-{page.screen}.png"), full_page=True)

    page.locator("#feed-chosen input").click()
    page.get_by_role("option", name="Harbour Times").click()
    page.locator("#feed-title").get_by_role("textbox").fill("Harbour news")
    page.locator("#feed-rename").click()
    playwright.expect(message).to_contain_text("Renamed: Harbour news", timeout=30_000)
    playwright.expect(page.locator("#feeds")).to_contain_text("Harbour news")

    for shown in ("Harbour news", "127.0.0.1"):
        page.locator("#feed-chosen input").click()
        page.get_by_role("option", name=shown).first.click()
        page.locator("#feed-remove").click()
        playwright.expect(message).to_contain_text("No longer following", timeout=30_000)
    playwright.expect(page.locator("#feeds")).not_to_contain_text("Harbour news", timeout=30_000)
    page.screenshot(path=str(SHOTS / f"feeds-removed-{page.screen}.png"), full_page=True)
