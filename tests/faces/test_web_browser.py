"""A real browser (Debian's Chromium, driven by Playwright) against the real server."""

from __future__ import annotations

import re
import shutil

import pytest

from ..conftest import ROOT, SEEDS, Server, run_cli

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "browser"
XSS_ARTICLE = (
    "# Festival <script>alert(1)</script> night\n\n"
    "The Zorbex festival opened with <script>alert(1)</script> fireworks and "
    "<img src=x onerror=alert(1)> lanterns on Friday.\n"
)
FESTIVAL_ARTICLE = (
    "Lantern festival postponed\n"
    "The Varel lantern festival was postponed by a week because of the storms, the organisers said on Monday. "
    "More than 40,000 visitors came to the festival last year. "
    "Mayor Hanna Brink opened the festival on Friday evening with a parade along the harbour.\n"
)
NEW_ARTICLE = (
    "---\ntitle: Quarry lake rescue\ndate: 2025-03-02\nsource: Valley Herald\n---\n"
    "Firefighters rescued two hikers from the Kettlebrook quarry lake on Sunday. "
    "Captain Mira Okonkwo led the rescue team, which used an inflatable boat.\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    shutil.copytree(SEEDS, base / "articles")
    (base / "articles" / "festival.md").write_text(XSS_ARTICLE)
    (base / "articles" / "lantern-festival.txt").write_text(FESTIVAL_ARTICLE)
    indexed = run_cli("--articles", str(base / "articles"), "--index", str(base / "index"), "index")
    assert indexed.returncode == 0, indexed.stderr
    server = Server(base / "articles", base / "index", base / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not shutil.which("chromium") and not (ROOT / CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (make browser installs it)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    page.goto(server.url)
    page.locator("#question textarea").wait_for()
    yield page
    page.close()


def shows_more(page, locator, count: int, seconds: float) -> bool:
    """Whether more than ``count`` elements match ``locator`` within ``seconds``."""
    for _ in range(int(seconds * 2)):
        if locator.count() > count:
            return True
        page.wait_for_timeout(500)
    return False


def ask(page, question: str, expect: str, short: str | None = None) -> None:
    """Ask, then wait for the answer: for ``short``, the new bold short answer (an earlier answer may
    already hold the text asked for). A click that lands before the page's scripts listen is lost (seen
    once under load: the chat stayed empty), so the question is sent again if it does not show."""
    asked = page.locator("#chat .user").filter(has_text=question)
    before = asked.count()
    for seconds in (15, 60):
        page.locator("#question textarea").fill(question)
        page.locator("#ask").click()
        if shows_more(page, asked, before, seconds):
            break
    if short:
        playwright.expect(page.locator("#chat strong").last).to_have_text(short, timeout=60_000)
    page.locator("#chat").get_by_text(expect).last.wait_for(timeout=60_000)
    page.locator("#sources .source").first.wait_for(timeout=30_000)


def test_palmyra_question_shows_answer_and_highlighted_source(page):
    ask(page, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
    sources = page.locator("#sources")
    assert "Coalition strikes syria" in sources.inner_text()
    assert "Sean Parnell confirmed the attack" in sources.locator("mark").first.inner_text()
    assert "[1]" in page.locator("#chat").inner_text()
    # one scale a list, named for what it is: cited sentences' answer score, other passages' rank score
    cited = sources.locator(".source:not(.other)").first.text_content()
    assert "answer score" in cited and "rank score" not in cited
    others = sources.locator(".source.other").all_text_contents()
    assert others and all("rank score" in t and "answer score" not in t for t in others)
    page.screenshot(path=str(SHOTS / "palmyra.png"))
    whole = sources.locator(".source:not(.other) details.source-article").first  # the whole cited article, folded
    whole.locator("summary").click()
    playwright.expect(whole).to_contain_text("has vowed", timeout=10_000)  # beyond the quoted passage
    # a follow-up is understood in the context of the conversation, and answers the new thing asked
    ask(page, "When did it happen?", "December 13th", short="December 13th")
    page.screenshot(path=str(SHOTS / "follow-up.png"))
    # follow-ups of follow-ups keep the conversation's subject, each answered with its cited sentence
    ask(page, "Where?", "Palmyra", short="Palmyra")
    assert "in the ancient city of Palmyra" in page.locator("#sources mark").first.inner_text()
    ask(page, "Who vowed retaliation?", "Trump", short="Donald Trump")
    assert "has vowed" in page.locator("#sources mark").first.inner_text()
    page.screenshot(path=str(SHOTS / "follow-ups.png"))


def test_follow_up_moves_on_to_the_new_question(page):
    ask(page, "How many visitors came?", "40,000")
    ask(page, "Who opened the festival?", "Hanna Brink", short="Hanna Brink")
    marked = page.locator("#sources mark").first.inner_text()
    assert "Hanna Brink opened the festival" in marked and "Lantern festival postponed" not in marked
    page.screenshot(path=str(SHOTS / "festival-follow-up.png"))


def test_article_text_is_shown_as_text_never_run(page):
    ask(page, "What did the Zorbex festival open with?", "fireworks")
    chat = page.locator("#chat").inner_text()
    sources = page.locator("#sources").inner_text()
    assert "<script>alert(1)</script>" in chat
    assert "<img src=x onerror=alert(1)>" in sources
    assert "<script>alert(1)</script>" in sources  # the title too
    assert page.locator("#chat img[src='x'], #sources img[src='x']").count() == 0
    assert page.locator("#sources script, #chat script").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
    page.screenshot(path=str(SHOTS / "xss-as-text.png"))


def test_each_answer_keeps_its_sources_and_a_click_shows_them_again(page):
    ask(page, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
    ask(page, "Who opened the festival?", "Hanna Brink", short="Hanna Brink")
    assert "Hanna Brink" in page.locator("#sources mark").first.inner_text()
    page.locator("#chat .bot").filter(has_text="Sean Parnell").first.click()
    playwright.expect(page.locator("#sources mark").first).to_contain_text("Sean Parnell", timeout=30_000)


def test_on_a_phone_a_tap_on_an_answer_brings_its_sources_into_view(browser, server):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        phone.goto(server.url)
        phone.locator("#question textarea").wait_for()
        ask(phone, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
        phone.locator("#chat").scroll_into_view_if_needed()
        phone.locator("#chat .bot").filter(has_text="Sean Parnell").first.click()
        phone.wait_for_function("() => { const r = document.getElementById('sources').getBoundingClientRect();"
                                " return r.top >= -1 && r.top < innerHeight; }", timeout=10_000)
        phone.screenshot(path=str(SHOTS / "phone-sources.png"))
    finally:
        phone.close()


def test_a_question_is_shown_exactly_as_typed(page):
    typed = "Did [link](http://x) or www.x.org or a@b.org or $x$ or \\(y\\) or <b>z</b> confirm the Palmyra attack?"
    page.locator("#question textarea").fill(typed)
    page.locator("#ask").click()
    page.locator("#sources .source, #sources .sources-empty").first.wait_for(timeout=60_000)
    bubble = page.locator("#chat .user").last
    assert typed in bubble.inner_text()
    assert bubble.locator("a, b, .katex").count() == 0  # no link, no bold, no maths


def test_upload_update_and_ask_about_the_new_article(page, server, tmp_path):
    upload = tmp_path / "quarry-rescue.md"
    upload.write_text(NEW_ARTICLE)
    rejected = tmp_path / "evil.exe"
    rejected.write_bytes(b"MZ\x90\x00")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload input[type=file]").set_input_files([str(rejected)])
    page.locator("#upload-message").get_by_text("not articles").wait_for(timeout=30_000)
    assert not (server.articles / "evil.exe").exists()

    page.locator("#upload input[type=file]").set_input_files([str(upload)])
    page.locator("#upload-message").get_by_text("saved as quarry-rescue.md").wait_for(timeout=30_000)
    assert (server.articles / "quarry-rescue.md").read_text() == NEW_ARTICLE
    mode = (server.articles / "quarry-rescue.md").stat().st_mode & 0o777
    assert mode == (server.articles / "coalition-strikes-syria.txt").stat().st_mode & 0o777  # like the others
    page.locator("#upload-message").get_by_text("1 added").wait_for(timeout=120_000)  # indexed at once
    page.locator("#articles").get_by_text("Quarry lake rescue").wait_for(timeout=30_000)
    page.locator("#update").click()
    page.locator("#update-message").get_by_text("0 added").wait_for(timeout=120_000)  # nothing left to do
    page.screenshot(path=str(SHOTS / "articles-updated.png"))

    page.get_by_role("tab", name="Chat").click()
    ask(page, "Who led the rescue at the Kettlebrook quarry lake?", "Mira Okonkwo")
    sources = page.locator("#sources").inner_text()
    assert "Quarry lake rescue" in sources and "Valley Herald" in sources and "2025-03-02" in sources
    page.screenshot(path=str(SHOTS / "new-article-cited.png"))


def contrast(page, selector: str) -> float:
    """WCAG contrast ratio of an element's text against its own background, as the browser paints them."""
    return page.locator(selector).first.evaluate("""element => {
        const rgb = value => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92
            : ((c + 0.055) / 1.055) ** 2.4).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
        const style = getComputedStyle(element);
        const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_highlighted_quote_is_readable_in_light_and_dark_mode(browser, server, theme):
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, color_scheme=theme)
    try:
        page.goto(f"{server.url}/?__theme={theme}")
        page.locator("#question textarea").wait_for()
        ask(page, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
        assert contrast(page, "#sources mark") >= 4.5  # WCAG AA for body text
        page.screenshot(path=str(SHOTS / f"palmyra-{theme}.png"))
    finally:
        page.close()


def test_a_page_opened_later_shows_the_index_as_it_is_now(browser, server, tmp_path):
    (server.articles / "harbour-news.md").write_text(
        "---\ntitle: Harbour reopens\nsource: Harbour Gazette\n---\nThe harbour reopened on Monday.\n")
    indexed = run_cli("--articles", str(server.articles), "--index", str(server.index), "index")  # by the server
    assert indexed.returncode == 0, indexed.stderr
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        page.goto(server.url)
        page.get_by_role("tab", name="Articles").click()
        playwright.expect(page.locator("#articles")).to_contain_text("Harbour reopens", timeout=4_000)
        status = page.locator("#status").inner_text()  # human wording: counts, local time to the minute
        human = r"\d+ articles · \d+ passages · .* last update \d{4}-\d{2}-\d{2} \d{2}:\d{2} ·"
        assert re.search(human, status), status
        page.get_by_role("tab", name="Chat").click()
        page.get_by_text("Options").click()
        page.locator("#only input").click()
        playwright.expect(page.get_by_role("option", name="Harbour Gazette")).to_be_visible(timeout=10_000)
    finally:
        page.close()


def test_a_click_on_a_citation_shows_and_highlights_the_source_of_that_answer(page):
    ask(page, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
    ask(page, "Who opened the festival?", "Hanna Brink", short="Hanna Brink")
    earlier = page.locator("#chat .bot").filter(has_text="Sean Parnell").first
    earlier.locator("a[href='#source-1']").click()
    picked = page.locator("#sources .source.picked")
    playwright.expect(picked).to_have_count(1, timeout=10_000)
    playwright.expect(picked.locator("mark")).to_contain_text("Sean Parnell confirmed the attack")
    assert page.url.rstrip("/") == page.url.split("#")[0].rstrip("/")  # the link was not followed
    page.screenshot(path=str(SHOTS / "citation-click.png"))


def test_on_a_phone_in_dark_mode_a_tap_on_a_citation_brings_its_source_into_view(browser, server):
    phone = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme="dark", has_touch=True)
    try:
        phone.goto(f"{server.url}/?__theme=dark")
        phone.locator("#question textarea").wait_for()
        ask(phone, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
        phone.locator("#chat a[href='#source-1']").last.tap()
        picked = phone.locator("#sources .source.picked")
        playwright.expect(picked).to_be_in_viewport(timeout=10_000)
        assert contrast(phone, "#sources mark") >= 4.5
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing wider than a phone
        phone.screenshot(path=str(SHOTS / "phone-dark-citation.png"))
    finally:
        phone.close()


def test_filters_are_marked_on_the_chat_and_a_bad_date_is_named_as_typed(page):
    page.get_by_text("Options").click()
    page.locator("#filters-on").wait_for(state="attached")
    since = page.get_by_label("Since (YYYY-MM-DD)")
    since.fill("yesterday")
    since.press("Tab")
    playwright.expect(page.locator("#filters-on")).to_contain_text("“yesterday” in Since is not a date", timeout=10_000)
    since.fill("2024-12-01")
    since.press("Tab")
    playwright.expect(page.locator("#filters-on")).to_have_text("Filters on: since 2024-12-01", timeout=10_000)
    page.locator("#question textarea").fill("Who confirmed the Palmyra attack?")
    page.locator("#ask").click()
    playwright.expect(page.locator("#chat .bot").last).to_contain_text("undated article", timeout=60_000)
    page.screenshot(path=str(SHOTS / "filters-on.png"))


def open_conversations(page) -> None:
    if not page.locator("#conversations").is_visible():
        page.locator("#conversations-box").get_by_text("Conversations").first.click()
    page.locator("#conversations").wait_for()


def opened(page, label: str) -> None:
    """Wait until the page's open conversation (the one checked in the list) is the one labelled so."""
    checked = page.locator("#conversations label", has=page.locator("input:checked"))
    playwright.expect(checked).to_contain_text(label, timeout=10_000)


def test_a_conversation_is_kept_reopened_renamed_exported_and_deleted(page):
    open_conversations(page)
    ask(page, "How many visitors came?", "40,000")
    ask(page, "Who opened the festival?", "Hanna Brink", short="Hanna Brink")
    opened(page, "How many visitors came? · 2 questions")  # kept
    page.reload()  # the browser remembers its conversation: both answers are back, each with its sources
    page.locator("#chat .bot").filter(has_text="40,000").first.wait_for(timeout=30_000)
    playwright.expect(page.locator("#chat .bot")).to_have_count(2)
    page.locator("#chat .bot").filter(has_text="40,000").first.click()
    playwright.expect(page.locator("#sources mark").first).to_contain_text("40,000", timeout=10_000)
    page.locator("#chat").get_by_label("Dislike").last.click()  # thumbs down on the second answer: kept
    playwright.expect(page.locator("#chat").get_by_label("Disliked")).to_have_count(1, timeout=10_000)
    page.wait_for_timeout(1_500)  # the rating reaches the server, which writes the export anew

    open_conversations(page)
    page.locator("#conversation-name input").fill("Varel festival")
    renamed = page.locator("#conversations label").filter(has_text="Varel festival")
    page.wait_for_timeout(1_000)  # the list kept its old name about 1 run in 3 when the click came right after a
    for _ in range(3):  # reload (cause not found; with a pause first it never happened): pause, and rename again
        page.locator("#rename").click()
        if shows_more(page, renamed, 0, 10):
            break
    playwright.expect(page.locator("#conversations")).to_contain_text("Varel festival", timeout=10_000)
    page.locator("#conversation-search input").fill("no such words anywhere")  # search narrows the list
    playwright.expect(page.locator("#conversations label")).to_have_count(0, timeout=10_000)
    page.locator("#conversation-search input").fill("hanna BRINK")  # a word of an answer, any case
    playwright.expect(page.locator("#conversations")).to_contain_text("Varel festival", timeout=10_000)
    with page.expect_download() as download:
        page.locator("#export").click()
    exported = download.value
    text = (SHOTS / exported.suggested_filename).read_text() if exported.save_as(
        SHOTS / exported.suggested_filename) is None else ""
    assert exported.suggested_filename == "Varel-festival.md"
    assert text.startswith("# Varel festival") and "## Who opened the festival?" in text
    assert "Hanna Brink" in text and "[1]" in text and "Sources:" in text
    assert text.count("*Rated not helpful*") == 1 and text.index("*Rated not helpful*") > text.index("## Who opened")

    page.locator("#new-conversation").click()
    playwright.expect(page.locator("#chat .bot")).to_have_count(0, timeout=10_000)
    page.locator("#conversations").get_by_text("Varel festival").click()  # reopened from the list
    playwright.expect(page.locator("#chat .bot")).to_have_count(2, timeout=10_000)
    page.screenshot(path=str(SHOTS / "conversations.png"))
    page.locator("#delete").click()  # asked first; kept, nothing is deleted
    playwright.expect(page.locator("#confirm-delete")).to_contain_text("cannot be undone", timeout=10_000)
    page.locator("#keep").click()
    playwright.expect(page.locator("#confirm-delete")).to_be_hidden(timeout=10_000)
    playwright.expect(page.locator("#chat .bot")).to_have_count(2)
    playwright.expect(page.locator("#conversations")).to_contain_text("Varel festival")
    page.locator("#delete").click()
    page.locator("#confirm").click()
    playwright.expect(page.locator("#confirm-delete")).to_be_hidden(timeout=10_000)
    playwright.expect(page.locator("#chat .bot")).to_have_count(0, timeout=10_000)
    playwright.expect(page.locator("#conversations")).not_to_contain_text("Varel festival", timeout=10_000)


def test_logins_never_see_each_others_conversations(browser, server, tmp_path):
    guarded = Server(server.articles, tmp_path / "index", tmp_path / "auth.log", "--auth", "ann:pw1,bob:pw2")
    try:
        for user, password in (("ann", "pw1"), ("bob", "pw2")):
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            try:
                page.goto(guarded.url)
                page.get_by_label("username").fill(user)
                page.get_by_label("password").fill(password)
                page.get_by_role("button", name="Login").click()
                page.locator("#question textarea").wait_for(timeout=30_000)
                open_conversations(page)
                if user == "ann":  # this server's own index is empty: the answer abstains, and is kept too
                    page.locator("#question textarea").fill("Who confirmed the Palmyra attack?")
                    page.locator("#ask").click()
                    playwright.expect(page.locator("#conversations")).to_contain_text("Palmyra", timeout=10_000)
                else:
                    page.wait_for_timeout(1_000)
                    assert "Palmyra" not in page.locator("#conversations").inner_text()
                    assert page.locator("#chat .bot").count() == 0
            finally:
                page.close()
    finally:
        guarded.stop()


def test_the_answer_bubble_says_what_is_happening_while_a_question_runs(page):
    page.evaluate("""() => { window.seen = [];
        new MutationObserver(() => { const bots = document.querySelectorAll('#chat .bot');
            if (bots.length) window.seen.push(bots[bots.length - 1].innerText); })
        .observe(document.getElementById('chat'), {subtree: true, childList: true, characterData: true}); }""")
    page.evaluate("""() => { window.buttons = [];
        new MutationObserver(() => window.buttons.push([document.querySelector('#ask').disabled,
                                                        document.querySelector('#stop').disabled]))
        .observe(document.body, {subtree: true, attributes: true, attributeFilter: ['disabled']}); }""")
    playwright.expect(page.locator("#stop")).to_be_disabled()  # nothing runs: nothing to stop
    ask(page, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
    seen = page.evaluate("window.seen")
    assert any(s.startswith(("Searching the articles", "Reading")) for s in seen), seen
    # while it ran, Ask was off (no second click) and Stop on; once answered, the other way round
    assert [True, False] in page.evaluate("window.buttons")
    playwright.expect(page.locator("#ask")).to_be_enabled()
    playwright.expect(page.locator("#stop")).to_be_disabled()


def test_a_copy_of_an_article_is_refused_at_upload_with_the_name_of_its_original(page, server, tmp_path):
    copy = tmp_path / "palmyra-again.txt"
    copy.write_bytes((server.articles / "coalition-strikes-syria.txt").read_bytes())
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload input[type=file]").set_input_files([str(copy)])
    message = page.locator("#upload-message")
    playwright.expect(message).to_contain_text("already in the folder as coalition-strikes-syria.txt",
                                               timeout=30_000)
    assert not (server.articles / "palmyra-again.txt").exists()
    playwright.expect(page.locator("#articles")).to_contain_text("coalition-strikes-syria.txt")


def test_a_question_in_another_language_is_told_the_model_reads_english(page):
    page.locator("#question textarea").fill("¿Quién confirmó el ataque contra la ciudad antigua?")
    page.locator("#ask").click()
    playwright.expect(page.locator("#chat .bot").last).to_contain_text("reads English only", timeout=60_000)
    assert "Spanish" in page.locator("#chat .bot").last.inner_text()


def test_an_overlong_question_is_refused_with_its_length_and_kept_in_the_box(page):
    long_question = "Who confirmed the Palmyra attack? " * 70  # 2,380 characters; the limit is 2,000
    page.locator("#question textarea").fill(long_question)
    page.locator("#ask").click()
    playwright.expect(page.locator("#chat .bot").last).to_contain_text("please keep it under 2,000",
                                                                       timeout=30_000)
    assert page.locator("#question textarea").input_value() == long_question
    assert page.locator("#chat .user").count() == 0  # no 5,000 px bubble


def test_zz_a_conversation_survives_a_server_restart(page, server):
    """Named to run last in this module: it restarts the module's server."""
    open_conversations(page)
    ask(page, "Who confirmed the Palmyra attack?", "Sean Parnell", short="Sean Parnell")
    opened(page, "Who confirmed the Palmyra attack? · 1 question")  # kept
    server.restart()
    for _ in range(5):  # the page's own reconnection may navigate at the same moment: then load it again
        try:
            page.goto(server.url)
            break
        except playwright.Error:
            page.wait_for_timeout(1_000)
    page.locator("#chat .bot").filter(has_text="Sean Parnell").first.wait_for(timeout=60_000)
    assert "Who confirmed the Palmyra attack?" in page.locator("#chat .user").first.inner_text()
    page.screenshot(path=str(SHOTS / "after-restart.png"))


@pytest.mark.parametrize("width", [1280, 390])
def test_every_column_of_the_articles_table_can_be_read(browser, server, width):
    """At 1280 px every column shows; on a phone the table scrolls sideways to them, each cell readable
    (before: "Same story as" was cut off at 1280 px, and only Title showed at 390 px)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(server.url)
        page.get_by_role("tab", name="Articles").click()
        last = page.locator("#articles th").filter(has_text="Same story as")
        last.wait_for()
        viewport = page.locator("#articles .virtual-table-viewport")
        box, table = last.bounding_box(), page.locator("#articles").bounding_box()
        assert box and table
        if width == 1280:
            assert box["x"] + box["width"] <= table["x"] + table["width"] + 1
        else:
            assert viewport.evaluate("v => v.scrollWidth > v.clientWidth")  # it scrolls sideways to the rest
            viewport.evaluate("v => { v.scrollLeft = v.scrollWidth; }")
            page.wait_for_timeout(300)
            box = last.bounding_box()
            assert box and table["x"] - 1 <= box["x"] and box["x"] + box["width"] <= table["x"] + table["width"] + 1
        first_cell = page.locator("#articles .virtual-row .body-cell").first
        assert first_cell.bounding_box()["width"] >= 150  # a title reads as words, not a letter a line
        page.screenshot(path=str(SHOTS / f"articles-{width}.png"))
    finally:
        page.close()


def test_the_examples_under_the_chat_all_answer_from_the_seed_article(page):
    examples = page.locator("#examples button")
    playwright.expect(examples).to_have_count(3, timeout=30_000)
    for number, text in enumerate(examples.all_inner_texts()):  # short enough to show whole
        examples.nth(number).click()
        playwright.expect(page.locator("#question textarea")).to_have_value(text)
        page.locator("#ask").click()
        page.locator("#chat .user").filter(has_text=text).wait_for(timeout=30_000)
        playwright.expect(page.locator("#ask")).to_be_enabled(timeout=60_000)
        assert "don't say" not in page.locator("#chat .bot").last.inner_text(), text
        assert "[1]" in page.locator("#chat .bot").last.inner_text(), text
