"""The Articles tab's feeds and links: follow a feed (fetched at once), see how its polls went, rename or
remove one, poll now, add a page by link."""

from __future__ import annotations

import logging

import gradio as gr

from ...core import Assistant
from ...errors import AssistantError
from ..render import chat_text

log = logging.getLogger(__name__)
HEADERS = ["Feed", "URL", "Every", "Last poll", "Articles", "Status"]
# In pixels, long cells wrapping, as the articles table: at 1280 px a failing feed's whole reason shows in
# Status; on a phone the table scrolls sideways to it.
WIDTHS: list[str | int] = ["170px", "250px", "80px", "150px", "90px", "330px"]


class FeedsPanel:
    """Handlers call the façade (``bot.feeds``, ``bot.add_url``); a refusal is a message, never a crash."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def rows(self) -> list[list]:
        return [[f[key] for key in ("shown", "url", "every_text", "last_poll_text", "articles", "state")]
                for f in (feed.to_dict() for feed in self.bot.feeds.list())]

    def named(self) -> list[tuple[str, str]]:
        """The feeds to rename or remove: (what it is shown as, its short name)."""
        return [(f.shown, f.name) for f in self.bot.feeds.list()]

    def choices(self) -> dict:
        return gr.update(choices=self.named(), value=None)

    def follow(self, url: str, every: str) -> tuple[str, list[list], str, dict]:
        """Follow, then fetch it once: a wrong address or a page that is no feed is said here, at once."""
        try:
            feed, report = self.bot.feeds.follow(url, every or "30m")
        except AssistantError as error:
            return f"**Refused:** {chat_text(str(error))}", self.rows(), url, self.choices()
        except Exception as error:  # the index update after the first poll
            log.exception("following %r failed", url)
            return f"**Following failed:** {chat_text(str(error))}", self.rows(), url, self.choices()
        every_text = feed.to_dict()["every_text"]
        if report.error:
            said = (f"**Following {chat_text(feed.shown)}, but its first fetch failed:** {chat_text(report.error)}. "
                    f"It is tried again every {every_text}; remove it below if the address is wrong.")
        else:
            said = (f"Following **{chat_text(feed.shown)}**: {chat_text(report.summary())}. It is polled every "
                    f"{every_text} (or press *Poll feeds now*).")
        return said, self.rows(), "", self.choices()

    def rename(self, name: str | None, title: str) -> tuple[str, list[list], str, dict]:
        if not name:
            return "Choose a feed to rename.", self.rows(), title, gr.update()
        try:
            feed = self.bot.feeds.rename(name, title)
        except AssistantError as error:
            return f"**Refused:** {chat_text(str(error))}", self.rows(), title, gr.update()
        return f"Renamed: **{chat_text(feed.shown)}**.", self.rows(), "", self.choices()

    def remove(self, name: str | None) -> tuple[str, list[list], dict]:
        if not name:
            return "Choose a feed to remove.", self.rows(), gr.update()
        try:
            feed = self.bot.feeds.remove(name)
        except AssistantError as error:
            return f"**Refused:** {chat_text(str(error))}", self.rows(), gr.update()
        return (f"No longer following **{chat_text(feed.shown)}**; its articles stay.", self.rows(),
                self.choices())

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
            with gr.Row():
                chosen = gr.Dropdown(self.named(), value=None, label="A feed", scale=2, elem_id="feed-chosen")
                title = gr.Textbox(label="New title", max_lines=1, scale=2, elem_id="feed-title")
                rename = gr.Button("Rename", size="sm", scale=1, elem_id="feed-rename")
                remove = gr.Button("Remove", size="sm", variant="stop", scale=1, elem_id="feed-remove")
            poll = gr.Button("Poll feeds now", size="sm", elem_id="poll")
            message = gr.Markdown(elem_id="feeds-message")
            table = gr.Dataframe(self.rows(), headers=HEADERS, interactive=False, elem_id="feeds", wrap=True,
                                 column_widths=WIDTHS)
        add.click(self.add_link, link, [message, link], api_visibility="private")
        follow.click(self.follow, [url, every], [message, table, url, chosen], api_visibility="private")
        rename.click(self.rename, [chosen, title], [message, table, title, chosen], api_visibility="private")
        remove.click(self.remove, chosen, [message, table, chosen], api_visibility="private")
        poll.click(self.poll, None, [message, table], api_visibility="private")
        gr.Timer(10).tick(self.rows, None, table, api_visibility="private", show_progress="hidden")
