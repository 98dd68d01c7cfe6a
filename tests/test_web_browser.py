"""A real browser (Debian's Chromium, driven by Playwright) against the real server."""

from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT, SEEDS, Server, run_cli

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


def ask(page, question: str, expect: str, short: str | None = None) -> None:
    """Ask, then wait for the answer: for ``short``, the new bold short answer (an earlier answer may
    already hold the text asked for)."""
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
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
    page.screenshot(path=str(SHOTS / "palmyra.png"))
    # a follow-up is understood in the context of the conversation, and answers the new thing asked
    ask(page, "When did it happen?", "December 13th", short="December 13th")
    page.screenshot(path=str(SHOTS / "follow-up.png"))


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
        page.get_by_role("tab", name="Chat").click()
        page.get_by_text("Options").click()
        page.locator("#only input").click()
        playwright.expect(page.get_by_role("option", name="Harbour Gazette")).to_be_visible(timeout=10_000)
    finally:
        page.close()
