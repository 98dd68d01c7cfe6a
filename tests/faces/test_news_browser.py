"""The news features in a real browser against the real server, on the story corpus: a timeline, sources
that differ, the "As of" line, one story carried by two outlets, and the Articles tab grouping them."""

from __future__ import annotations

import re
import shutil

import pytest

from ..conftest import STORY, Server, run_cli
from .test_web_browser import SHOTS, ask, browser, playwright  # noqa: F401 - the shared browser fixture

LATEST = "What is the latest death toll from the Halden bridge collapse?"


@pytest.fixture(scope="module")
def story_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("news-browser")
    shutil.copytree(STORY, base / "articles")
    indexed = run_cli("--articles", str(base / "articles"), "--index", str(base / "index"), "index")
    assert indexed.returncode == 0, indexed.stderr
    server = Server(base / "articles", base / "index", base / "server.log")
    yield server
    server.stop()


def test_the_chat_shows_timelines_disagreements_and_other_outlets(browser, story_server):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        page.goto(story_server.url)
        page.locator("#question textarea").wait_for()
        ask(page, LATEST, "Up from seven", short="eight")
        chat = page.locator("#chat .bot").last.inner_text()
        assert "Up from seven [5] (Valley Times, 13 Dec 2024); six [2] (Coastal Herald, 11 Dec 2024)" in chat
        assert "As of 14 Dec 2024 · " in chat
        page.screenshot(path=str(SHOTS / "news-sources-differ.png"))

        ask(page, "Who ordered a review of all city bridges?", "Ilse Brandt", short="Ilse Brandt")
        carried = page.locator("#sources .source-carried").first
        assert carried.inner_text().startswith("also carried by ")
        assert carried.locator("a").first.get_attribute("href").startswith("https://")

        sources = page.locator("#sources").inner_text()  # the timeline's quotes carry the days they name
        ask(page, "How did the Halden bridge collapse develop?", "9 Dec 2024: The Halden harbour bridge collapsed")
        assert "on Monday evening: 9 Dec 2024" in page.locator("#sources").inner_text() != sources
        timeline = page.locator("#chat .bot").last.inner_text()
        days = [line.split(":")[0] for line in timeline.splitlines() if line[:1].isdigit() and " 2024:" in line]
        assert days[0] == "9 Dec 2024" and days[-1] == "14 Dec 2024" and len(days) >= 6
        page.screenshot(path=str(SHOTS / "news-timeline.png"))

        page.get_by_text("Options").click()  # relative time, counted from the day typed in "As of"
        page.locator("#as-of textarea, #as-of input").first.fill("2024-12-16")
        ask(page, "Who ordered a review of the city bridges last week?", "Articles from 9–15 Dec 2024",
            short="Ilse Brandt")
        assert "As of 12 Dec 2024 · 2 articles from 2 publishers" in page.locator("#chat .bot").last.inner_text()
        page.screenshot(path=str(SHOTS / "news-last-week.png"))

        before = page.locator("#chat .user").count()  # Briefing asks "What's new?" with the options' as-of day
        page.locator("#briefing").click()
        playwright.expect(page.locator("#chat .user")).to_have_count(before + 1, timeout=30_000)
        briefed = page.locator("#chat .bot").last
        playwright.expect(briefed).to_contain_text("the past 7 days", timeout=60_000)
        lines = [line for line in briefed.inner_text().splitlines() if " Dec 2024 · " in line]
        assert lines[0].startswith("10 Dec 2024 · ") and "Halden" in lines[0]  # the most carried story first
        assert all("2024-12-1" in c for c in re.findall(r"\d{4}-\d{2}-\d{2}", page.locator("#sources").inner_text()))
        page.screenshot(path=str(SHOTS / "news-briefing.png"))

        page.get_by_role("tab", name="Articles").click()
        copy = page.locator("#articles .virtual-row").filter(has_text="2024-12-12-review-wire.md")
        playwright.expect(copy).to_contain_text(  # the later copy names the first, by its title
            "Mayor orders review of every Halden bridge", timeout=30_000)
        page.screenshot(path=str(SHOTS / "news-articles-grouped.png"))
    finally:
        page.close()


def test_the_examples_come_from_the_articles_indexed(browser, story_server):  # noqa: F811
    """On a folder without the seed article, the examples ask about its newest stories (one each), and a
    click on one asks something the articles answer."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        page.goto(story_server.url)
        examples = page.locator("#examples button")
        playwright.expect(examples.first).to_contain_text("What is the latest on", timeout=30_000)
        texts = examples.all_inner_texts()
        assert len(texts) == 3 and not any("Palmyra" in t for t in texts)
        assert texts[0].startswith("What is the latest on “Halden bridge")  # a long one is cut on its button
        examples.first.click()
        playwright.expect(page.locator("#question textarea")).to_have_value(
            "What is the latest on “Halden bridge death toll rises to eight”?")
        page.locator("#ask").click()
        playwright.expect(page.locator("#chat .bot").last).to_contain_text("eight", timeout=60_000)
        page.screenshot(path=str(SHOTS / "story-examples.png"))
    finally:
        page.close()
