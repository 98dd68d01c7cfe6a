"""What a daily user meets, in Chromium on a desktop and on a 390 px phone: regenerate an answer, edit a sent
question and send it again (the kept conversation follows), thumbs, the whole cited article, the trash icon,
uploads checked before they are saved, the options' words, citation links without tracking, the feeds panel
(followed and fetched at once, a failing feed said there, renamed, removed), the first run; and on the phone
the conversation list (search, export, delete asked twice), the examples and Ask/Stop."""

from __future__ import annotations

import shutil

import pytest

from ..conftest import SEEDS, Server, run_cli
from ..feedserver import FeedServer, Route, rss
from ..feedserver import page as article_page
from ..ingest.test_feeds import STORY
from .test_web_browser import (
    FESTIVAL_ARTICLE,
    NEW_ARTICLE,
    SHOTS,
    ask,
    browser,
    open_conversations,
    opened,
    playwright,
    shows_more,
)

__all__ = ["browser"]  # a fixture, used by name
SCREENS = {"desktop": {"width": 1300, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("everyday")
    shutil.copytree(SEEDS, base / "articles")
    (base / "articles" / "lantern-festival.txt").write_text(FESTIVAL_ARTICLE)
    (base / "articles" / "quarry-rescue.md").write_text(NEW_ARTICLE.replace(
        "source: Valley Herald\n", "source: Valley Herald\nurl: https://valley.example/quarry?utm_source=rss&id=7\n"))
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


def test_the_trash_icon_empties_the_chat_for_good_and_keeps_the_conversation(page):
    open_conversations(page)
    ask(page, "Who opened the festival?", "Hanna Brink", short="Hanna Brink")
    opened(page, "Who opened the festival? · 1 question")
    page.locator("#chat").get_by_label("Clear").click()
    playwright.expect(page.locator("#chat .bot")).to_have_count(0, timeout=10_000)
    page.wait_for_timeout(1_000)
    page.reload()  # it does not come back (it did: the view was emptied, the open conversation kept)
    page.locator("#question textarea").wait_for()
    page.wait_for_timeout(2_000)
    assert page.locator("#chat .bot").count() == 0
    open_conversations(page)
    playwright.expect(page.locator("#conversations")).to_contain_text("Who opened the festival?", timeout=10_000)


def test_uploads_are_checked_before_they_are_saved(page, server, tmp_path):
    binary, broken = tmp_path / f"bad-binary-{page.screen}.txt", tmp_path / f"broken-{page.screen}.json"
    binary.write_bytes(bytes(range(256)) * 8)
    broken.write_text("{not json")
    page.get_by_role("tab", name="Articles").click()
    message = page.locator("#upload-message")
    page.locator("#upload input[type=file]").set_input_files([str(binary), str(broken)])
    playwright.expect(message).to_contain_text("binary", timeout=30_000)
    playwright.expect(message).to_contain_text("not valid JSON")
    assert message.inner_text().count("Rejected:") == 2 and "Saved:" not in message.inner_text()
    assert not (server.articles / binary.name).exists() and not (server.articles / broken.name).exists()
    same = tmp_path / "lantern-festival.txt"
    same.write_text(FESTIVAL_ARTICLE)  # the very file already there
    page.locator("#upload input[type=file]").set_input_files([str(same)])
    playwright.expect(message).to_contain_text("Not saved: lantern-festival.txt", timeout=30_000)
    assert "Saved:" not in message.inner_text().replace("Not saved:", "")
    page.screenshot(path=str(SHOTS / f"uploads-refused-{page.screen}.png"), full_page=True)


def test_options_name_the_box_of_a_bad_date_sources_are_publishers_and_links_carry_no_tracking(page):
    page.locator("#chat").scroll_into_view_if_needed()
    page.get_by_text("Options").last.click()
    page.locator("#as-of").get_by_role("textbox").fill("2026-13-40")
    page.locator("#as-of").get_by_role("textbox").press("Tab")
    marker = page.locator("#filters-on")
    playwright.expect(marker).to_contain_text("“2026-13-40” in As of", timeout=10_000)
    assert "as_of=" not in marker.inner_text()
    page.locator("#as-of").get_by_role("textbox").fill("")
    page.locator("#as-of").get_by_role("textbox").press("Tab")
    page.locator("#only input").click()
    options = page.get_by_role("option")
    playwright.expect(options.filter(has_text="Valley Herald")).to_have_count(1, timeout=10_000)
    listed = options.all_inner_texts()
    assert not [o for o in listed if o.endswith((".txt", ".md")) or "/" in o], listed  # no file paths
    page.keyboard.press("Escape")
    ask(page, "Who led the rescue at the Kettlebrook quarry lake?", "Mira Okonkwo")
    links = [a.get_attribute("href") for a in page.locator("#sources a[href*='valley.example']").all()]
    assert links and all(link == "https://valley.example/quarry?id=7" for link in links), links
    page.screenshot(path=str(SHOTS / f"options-and-links-{page.screen}.png"), full_page=True)


@pytest.fixture
def phone(browser, server):
    page = browser.new_page(viewport=SCREENS["phone"])
    page.screen = "phone"
    page.goto(server.url)
    page.locator("#question textarea").wait_for()
    page.locator("#new-conversation").click()
    yield page
    page.close()


def test_on_a_phone_examples_ask_stop_search_export_and_delete_work(phone):
    page = phone
    page.evaluate("""() => { window.buttons = [];
        new MutationObserver(() => window.buttons.push([document.querySelector('#ask').disabled,
                                                        document.querySelector('#stop').disabled]))
        .observe(document.body, {subtree: true, attributes: true, attributeFilter: ['disabled']}); }""")
    examples = page.locator("#examples button")
    playwright.expect(examples.first).to_be_visible(timeout=30_000)
    text = examples.first.inner_text()
    examples.first.click()
    playwright.expect(page.locator("#question textarea")).to_have_value(text)
    page.locator("#ask").click()
    page.locator("#chat .user").filter(has_text=text).wait_for(timeout=30_000)
    playwright.expect(page.locator("#ask")).to_be_enabled(timeout=60_000)
    playwright.expect(page.locator("#stop")).to_be_disabled()
    assert [True, False] in page.evaluate("window.buttons")  # while it ran: Ask off, Stop on
    assert "don't say" not in page.locator("#chat .bot").last.inner_text() and "[1]" in page.locator(
        "#chat .bot").last.inner_text()
    page.locator("#chat").get_by_label("Dislike").last.click()
    playwright.expect(page.locator("#chat").get_by_label("Disliked")).to_have_count(1, timeout=10_000)
    page.wait_for_timeout(1_500)  # the rating reaches the server, which writes the export anew

    open_conversations(page)
    opened(page, text)
    page.locator("#conversation-search input").fill("no such words anywhere")
    playwright.expect(page.locator("#conversations label")).to_have_count(0, timeout=10_000)
    page.locator("#conversation-search input").fill(text.split()[-1].strip("?"))
    playwright.expect(page.locator("#conversations label").filter(has_text=text).first).to_be_visible(timeout=10_000)
    with page.expect_download() as download:
        page.locator("#export").click()
    saved = SHOTS / f"phone-{download.value.suggested_filename}"
    download.value.save_as(saved)
    assert "*Rated not helpful*" in saved.read_text(encoding="utf-8")
    page.locator("#delete").click()
    playwright.expect(page.locator("#confirm-delete")).to_contain_text("cannot be undone", timeout=10_000)
    page.screenshot(path=str(SHOTS / "phone-delete-asked.png"), full_page=True)
    page.locator("#confirm").click()
    playwright.expect(page.locator("#chat .bot")).to_have_count(0, timeout=10_000)


def test_a_folder_never_indexed_is_indexed_when_served_and_its_examples_come_from_it(browser, tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "quarry-rescue.md").write_text(NEW_ARTICLE)
    served = Server(tmp_path / "articles", tmp_path / "index", tmp_path / "server.log")
    try:
        for screen, viewport in SCREENS.items():
            page = browser.new_page(viewport=viewport)
            try:
                page.goto(served.url)
                examples = page.locator("#examples button")
                playwright.expect(examples.first).to_be_visible(timeout=30_000)
                assert "Palmyra" not in " ".join(examples.all_inner_texts())  # not the seed's questions
                examples.first.click()
                page.locator("#ask").click()
                bot = page.locator("#chat .bot")
                assert shows_more(page, bot, 0, 60)
                playwright.expect(bot.last).to_contain_text("[1]", timeout=60_000)
                page.get_by_role("tab", name="Articles").click()
                playwright.expect(page.locator("#status")).to_contain_text("1 article", timeout=30_000)
                page.screenshot(path=str(SHOTS / f"first-run-{screen}.png"), full_page=True)
            finally:
                page.close()
    finally:
        served.stop()
    assert "First run: indexing 1 file waiting" in (tmp_path / "server.log").read_text()
