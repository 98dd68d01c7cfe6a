"""The web chat (Gradio): chat with checkable sources, an articles tab with upload and update, and the
server that serves it."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from typing import Any, cast

import gradio as gr

from ...core import Assistant
from ...settings import api_keys_of, logins
from ..render import sources_html
from ..server.endpoints import api_app_kwargs
from ..server.served_index import ServedIndex
from .articles import (
    ARTICLE_HEADERS,
    ARTICLE_WIDTHS,
    ArticlesPage,
    article_rows,
    example_questions,
    source_choices,
    status_markdown,
)
from .assets import CITATION_CLICK_JS, CSS, SHOW_SOURCES_JS
from .chat import BRIEFING_QUESTION, ChatPage
from .conversations import ConversationsPanel
from .feeds import FeedsPanel
from .logins import LoginCheck

log = logging.getLogger(__name__)
PRIVATE: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}  # page events, not the API


def build_app(bot: Assistant) -> gr.Blocks:
    page, articles = ChatPage(bot), ArticlesPage(bot)
    with gr.Blocks(title="News assistant") as app:
        gr.Markdown("## News assistant\nAnswers come only from your articles, each claim with its quoted source.")
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    conversations = ConversationsPanel(bot)
                    conversations.build()
                    # no LaTeX: "\(" and "$" in a question or an article are text, not maths
                    marker = gr.Markdown(elem_id="filters-on")
                    chatbot = gr.Chatbot(label="Chat", height=460, elem_id="chat", buttons=["copy"],
                                         latex_delimiters=[], editable="user")  # a sent question can be edited
                    questions = gr.State([])
                    with gr.Row():
                        box = gr.Textbox(placeholder="Ask about your articles…", show_label=False, scale=5,
                                         elem_id="question", autofocus=True)
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    with gr.Row():
                        stop = gr.Button("Stop", size="sm", elem_id="stop", interactive=False)
                        new = gr.Button("New conversation", size="sm", elem_id="new-conversation")
                    kept = gr.State({})  # message index -> that answer's sources
                    answered = gr.State(None)  # the Answer just given, to be kept with its conversation
                    with gr.Row():
                        examples = gr.Dataset(components=[box], samples=[[q] for q in example_questions(bot)],
                                              label="Examples", elem_id="examples", scale=5)
                        briefing = gr.Button("Briefing", size="sm", elem_id="briefing", scale=1)
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(sources_html(None), elem_id="sources")
            with gr.Accordion("Options", open=False):
                k = gr.Slider(1, 20, value=bot.settings.k, step=1, label="Passages to read (k)")
                with gr.Row():
                    since = gr.Textbox(label="Since (YYYY-MM-DD)", max_lines=1)
                    until = gr.Textbox(label="Until (YYYY-MM-DD)", max_lines=1)
                    as_of = gr.Textbox(label="As of (YYYY-MM-DD)", max_lines=1, elem_id="as-of",
                                       info="'last week' counts from this day; later articles are left out")
                    only = gr.Dropdown(source_choices(bot), multiselect=True, label="Only these sources",
                                       elem_id="only")
        with gr.Tab("Articles"):
            status = gr.Markdown(status_markdown(bot), elem_id="status")
            upload = gr.File(label="Add article files", file_count="multiple", elem_id="upload")
            upload_message = gr.Markdown(elem_id="upload-message")
            update = gr.Button("Update index", variant="primary", elem_id="update")
            update_message = gr.Markdown(elem_id="update-message")
            table = gr.Dataframe(article_rows(bot), headers=ARTICLE_HEADERS, interactive=False, elem_id="articles",
                                 wrap=True, column_widths=ARTICLE_WIDTHS)  # every column shows, 1280 px or a phone
            FeedsPanel(bot).build()
        inputs = [box, chatbot, questions, k, since, until, only, as_of]
        outputs = [chatbot, questions, sources, box, answered]
        saved = conversations.wire(chatbot, questions, sources, kept, [new], app)
        # While a question runs, Ask is off and Stop on; when it ends (or is stopped), the other way round.
        # Briefing asks the briefing question as if typed, so the options (since, until, as of) apply to it too.
        briefed = briefing.click(lambda: BRIEFING_QUESTION, None, box, queue=False, **PRIVATE)
        # Regenerate and an edited question rewind the chat to that question, then ask it as if typed.
        rewinding = [chatbot, questions, kept, box, conversations.replacing]
        rewound = [chatbot.retry(page.asked_again, rewinding[:3], rewinding, queue=False, **PRIVATE),
                   chatbot.edit(page.edited, rewinding[:3], rewinding, queue=False, **PRIVATE)]
        triggers: list[Callable[..., Any]] = [box.submit, send.click, briefed.then, *(e.then for e in rewound)]
        asked = [ask(_running, None, [send, stop], queue=False, **PRIVATE).then(
            page.respond, inputs, outputs, api_visibility="private") for ask in triggers]
        for event in asked:
            event.then(page.keep, [chatbot, sources, kept], kept, **PRIVATE
                       ).then(conversations.save, conversations.save_inputs(questions, answered), saved,
                              **PRIVATE).then(_idle, None, [send, stop], queue=False, **PRIVATE)
        # a Dependency is a dict, but gradio's hint (a list of dicts) does not take a list of them
        stop.click(_idle, None, [send, stop], cancels=cast("list[dict[str, Any]]", asked), queue=False,
                   api_visibility="private")
        chatbot.select(page.sources_of, kept, sources, **PRIVATE,
                       js=SHOW_SOURCES_JS)
        upload.upload(articles.upload, upload, [upload_message, upload], api_visibility="private")
        update.click(articles.update, None, [update_message, table, status, only], api_name="update")
        gr.api(page.ask_api, api_name="ask")
        gr.api(articles.update_api, api_name="update_index")
        gr.Timer(5).tick(articles.refresh, None, [status, table], **PRIVATE)
        for option in (since, until, only, as_of):
            option.change(page.filters_on, [since, until, only, as_of], marker, **PRIVATE)
        only.focus(articles.sources, None, only, **PRIVATE)
        app.load(articles.opened, None, [status, table, only], **PRIVATE)
        examples.click(lambda sample: sample[0], examples, box, **PRIVATE)  # a click puts it in the box
        app.load(lambda: gr.update(samples=[[q] for q in example_questions(bot)]), None, examples, **PRIVATE)
    return app


def _running() -> tuple[dict, dict]:
    return gr.update(interactive=False), gr.update(interactive=True)  # Ask, Stop


def _idle() -> tuple[dict, dict]:
    return gr.update(interactive=True), gr.update(interactive=False)


def _stop_serving(*_) -> None:
    raise KeyboardInterrupt  # lets block_thread return, so the record is removed on `kill`


def serve(bot: Assistant, host: str | None = None, port: int | None = None, auth: str | None = None,
          watch: bool | None = None) -> None:
    """Serve until interrupted. While it runs, this process owns the index: it records itself in the
    index folder, and `assistant index` elsewhere asks it to run updates."""
    settings = bot.settings
    bot.refuse_if_owned()  # before listening: a second server on one index is refused with the owner named
    users = logins(auth or settings.auth)  # each login keeps its own conversations
    keys = api_keys_of(settings, users)
    # A key without logins guards the page and its own API (/gradio_api) too: log in as "api" with a key.
    page_logins = users or [("api", key) for key in keys]
    app = build_app(bot)
    app.queue(default_concurrency_limit=settings.concurrency_limit)
    app.launch(
        # the API's bearer keys: api_key and api_keys, else each login's password
        app_kwargs=api_app_kwargs(bot, host or settings.host, keys),
        server_name=host or settings.host,
        server_port=port if port is not None else settings.port,
        auth=LoginCheck(page_logins) if page_logins else None,  # a brake on guessed passwords
        max_file_size=settings.max_upload_bytes * 2,
        allowed_paths=[str(settings.index_dir / "exports")],  # conversations' exports, for their owners
        show_error=False,
        css=CSS,
        js=CITATION_CLICK_JS,
        footer_links=["api"],
        ssr_mode=False,
        prevent_thread_lock=True,
        quiet=True,  # Gradio's own lines offer a public link (share=True), which this server never makes
    )
    signal.signal(signal.SIGTERM, _stop_serving)
    url = cast(str, app.local_url)  # set by launch(); gradio declares it as None
    print(f"Serving {url} (the chat; the OpenAI-compatible API at {url}v1, MCP at {url}mcp). Ctrl-C stops it.",
          flush=True)
    try:
        with ServedIndex(bot, url, watch=bool(watch or settings.watch)):
            while True:  # not app.block_thread(), which prints "Keyboard interruption in main thread…"
                time.sleep(0.5)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (above)
        print("Stopped.", flush=True)
    finally:
        app.close()
