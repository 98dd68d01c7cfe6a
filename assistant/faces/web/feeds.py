"""The Articles tab's feeds and links: follow a feed, see how its polls went, poll now, add a page by link."""

from __future__ import annotations

import logging

import gradio as gr

from ...core import Assistant
from ...errors import AssistantError
from ..render import chat_text

log = logging.getLogger(__name__)
HEADERS = ["Feed", "URL", "Every", "Last poll", "Articles", "Status"]


class FeedsPanel:
    """Handlers call the façade (``bot.feeds``, ``bot.add_url``); a refusal is a message, never a crash."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def rows(self) -> list[list]:
        return [[f[key] for key in ("name", "url", "every_text", "last_poll_text", "articles", "state")]
                for f in (feed.to_dict() for feed in self.bot.feeds.list())]

    def follow(self, url: str, every: str) -> tuple[str, list[list], str]:
        try:
            feed = self.bot.feeds.add(url, every or "30m")
        except AssistantError as error:
            return f"**Refused:** {chat_text(str(error))}", self.rows(), url
        return (f"Following **{chat_text(feed.name)}**; it is polled every {feed.to_dict()['every_text']} "
                "(or press *Poll feeds now*).", self.rows(), "")

    def poll(self) -> tuple[str, list[list]]:
        try:
            reports = self.bot.feeds.poll()
        except Exception as error:
            log.exception("polling the feeds failed")
            return f"**Polling failed:** {chat_text(str(error))}", self.rows()
        lines = [f"- {chat_text(r.summary())}" for r in reports] or ["No feeds yet."]
        lines += [f"  - {chat_text(p)}" for r in reports for p in r.problems]
        return "\n".join(lines), self.rows()

    def add_link(self, url: str) -> tuple[str, str]:
        try:
            stored = self.bot.add_url(url)
            report = self.bot.update_index()
        except AssistantError as error:
            return f"**Refused:** {chat_text(str(error))}", url
        except Exception as error:
            log.exception("adding %r failed", url)
            return f"**Adding the page failed:** {chat_text(str(error))}", url
        return f"Saved: {chat_text(stored.message)} Index: {chat_text(report.summary())}.", ""

    def build(self) -> None:
        """The components and their events, inside the Blocks being built."""
        with gr.Accordion("Feeds and links", open=True):
            with gr.Row():
                link = gr.Textbox(label="Add a page by its link", placeholder="https://…", scale=4, elem_id="link")
                add = gr.Button("Add page", scale=1, elem_id="add-link")
            with gr.Row():
                url = gr.Textbox(label="Follow an RSS or Atom feed", placeholder="https://…/feed.xml", scale=4,
                                 elem_id="feed-url")
                every = gr.Textbox("30m", label="Every", max_lines=1, scale=1, elem_id="feed-every")
                follow = gr.Button("Follow", scale=1, elem_id="follow")
            poll = gr.Button("Poll feeds now", size="sm", elem_id="poll")
            message = gr.Markdown(elem_id="feeds-message")
            table = gr.Dataframe(self.rows(), headers=HEADERS, interactive=False, elem_id="feeds")
        add.click(self.add_link, link, [message, link], api_visibility="private")
        follow.click(self.follow, [url, every], [message, table, url], api_visibility="private")
        poll.click(self.poll, None, [message, table], api_visibility="private")
        gr.Timer(10).tick(self.rows, None, table, api_visibility="private", show_progress="hidden")
