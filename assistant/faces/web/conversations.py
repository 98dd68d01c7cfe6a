"""The chat's kept conversations: the list to reopen, rename and delete, a new conversation, the export.

Each answered question is kept with what the page showed (the bubble, its own sources) and the answer as
Markdown. The browser remembers which conversation it had open, so a reload or a server restart shows it
again. Conversations belong to the login (``--auth``); without a login there is one shared list."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import gradio as gr

from ...core import Assistant
from ...records.answer import Answer
from ...records.dates import local_time
from ..render import answer_markdown, chat_answer, chat_text, sources_html
from .sources import shown_sources

OPENED_KEY = "news-assistant-conversation"
# What the browser keeps while no conversation is open: Gradio's BrowserState stores no empty value (None,
# ""), so the conversation emptied by the trash icon or *New conversation* came back on a reload.
NONE_OPEN = "none"


def open_id(conversation: str | None) -> str | None:
    """The open conversation's id as the browser keeps it; None when none is open."""
    return None if not conversation or conversation == NONE_OPEN else conversation


def login_of(request: gr.Request | None) -> str:
    return (getattr(request, "username", None) or "") if request is not None else ""


def message_index(index: int | tuple[int, int]) -> int:
    """The chat message an event (select, like, retry, edit) is about: Gradio gives an int or (row, column)."""
    return index[0] if isinstance(index, list | tuple) else index


def text_of(content: Any) -> str:
    """A chat message's Markdown from its content: the page hands it back as a list of parts ("type": "text")."""
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


class ConversationsPanel:
    """Handlers call the façade's book (``bot.conversations``) with the login that asks."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def build(self) -> None:
        """The components, in a collapsible box above the chat (the page wires them with :meth:`wire`)."""
        self.opened = gr.BrowserState(None, storage_key=OPENED_KEY,  # this browser's open conversation
                                      secret=self.bot.conversations.browser_secret())
        self.replacing = gr.State(None)  # the kept turn the next answer takes the place of (regenerate, edit)
        with gr.Accordion("Conversations", open=False, elem_id="conversations-box"):
            self.search = gr.Textbox(label="Search the conversations", placeholder="words in a question or an answer",
                                     max_lines=1, elem_id="conversation-search")
            self.listing = gr.Radio([], label="Kept conversations (newest first)", elem_id="conversations")
            with gr.Row():
                self.name = gr.Textbox(label="Name", max_lines=1, scale=3, elem_id="conversation-name")
                self.rename_button = gr.Button("Rename", size="sm", scale=1, elem_id="rename")
                self.delete_button = gr.Button("Delete", size="sm", scale=1, variant="stop", elem_id="delete")
            with gr.Row(visible=False, elem_id="confirm-delete") as self.confirm_row:  # a deletion is asked twice
                gr.Markdown("Delete this conversation? It cannot be undone.")
                self.confirm_button = gr.Button("Yes, delete it", size="sm", variant="stop", elem_id="confirm")
                self.cancel_button = gr.Button("Keep it", size="sm", elem_id="keep")
            self.export = gr.DownloadButton("Export as Markdown", size="sm", value=None, elem_id="export")

    def wire(self, chatbot: gr.Chatbot, questions: gr.State, sources: gr.HTML, kept: gr.State,
             new_buttons: list[gr.Button], app: gr.Blocks) -> list:
        """Connect the components to the chat; returns the outputs of :meth:`save` (run after each answer)."""
        shown = [chatbot, questions, sources, kept, self.opened, self.listing, self.name, self.export,
                 self.replacing]
        private: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
        # every list shown keeps to the words searched for (a new answer or a rename does not undo the search)
        self.listing.input(self.open, [self.listing, self.search], shown, **private)
        self.search.change(self.searched, [self.search, self.opened], self.listing, **private)
        for button in new_buttons:
            button.click(self.new, self.search, shown, **private)
        chatbot.clear(self.new, self.search, shown, **private)
        chatbot.like(self.rate, [self.opened, chatbot], self.export, **private)
        for renamed in (self.rename_button.click, self.name.submit):
            renamed(self.rename, [self.opened, self.name, self.search], [self.listing, self.export], **private)
        self.delete_button.click(self.ask_to_delete, self.opened, self.confirm_row, **private)
        self.cancel_button.click(lambda: gr.update(visible=False), None, self.confirm_row, **private)
        self.confirm_button.click(self.delete, [self.opened, self.search], shown, **private).then(
            lambda: gr.update(visible=False), None, self.confirm_row, **private)
        app.load(self.open, [self.opened, self.search], shown, **private)
        return [self.opened, self.listing, self.name, self.export, self.replacing]

    def save_inputs(self, questions: gr.State, answered: gr.State) -> list:
        """What :meth:`save` reads, after each answer: the open conversation, the questions and the answer
        given, the turn it replaces, the words searched for."""
        return [self.opened, questions, answered, self.replacing, self.search]

    def _listing(self, owner: str, selected: str | None, words: str):
        choices = [(f"{c.title} · {c.turns} question{'' if c.turns == 1 else 's'} · {local_time(c.updated)}", c.id)
                   for c in self.bot.conversations.search(owner, words or "")]
        return gr.update(choices=choices, value=selected if any(v == selected for _, v in choices) else None)

    def searched(self, words: str, conversation: str | None, request: gr.Request):
        """The list narrowed to the conversations that hold every word typed (all of them again when emptied)."""
        return self._listing(login_of(request), conversation, words)

    def _export_file(self, owner: str, conversation: str) -> str | None:
        """The conversation as a Markdown file named after it, for the download button."""
        text = self.bot.conversations.markdown(owner, conversation)
        if not text:
            return None
        found = self.bot.conversations.get(owner, conversation)
        slug = re.sub(r"[^A-Za-z0-9]+", "-", found.title if found else "").strip("-")[:60] or "conversation"
        folder = self._exports(conversation)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in folder.glob("*.md"):
            old.unlink()
        path = folder / f"{slug}.md"
        path.touch(mode=0o600)  # private to the server's user from its first byte
        path.write_text(text, encoding="utf-8")
        return str(path)

    def _exports(self, conversation: str) -> Path:
        """Where a conversation's export is written: inside the index folder, beside the conversations (the
        page serves it to its owner's browser only); removed with the conversation."""
        return self.bot.settings.index_dir / "exports" / conversation

    def save(self, conversation: str | None, questions: list[str], answer: Answer | None, replacing: int | None,
             request: gr.Request, words: str = ""):
        """Keep the question just answered (a refused or failed question is not kept), in the place of the
        turn ``replacing`` when it was asked again. What is kept is made here, from the server's own records
        of the turn (the question asked, the Answer given), never from the HTML or Markdown a browser sends
        back, which another user's page would show."""
        if answer is None or not questions:
            return gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
        owner = login_of(request)
        conversation = self.bot.conversations.add(owner, open_id(conversation), questions[-1], chat_answer(answer),
                                                  shown_sources(self.bot, answer), answer_markdown(answer),
                                                  replacing=replacing)
        found = self.bot.conversations.get(owner, conversation)
        return (conversation, self._listing(owner, conversation, words), found.title if found else "",
                self._export_file(owner, conversation), None)

    def open(self, conversation: str | None, request: gr.Request, words: str = ""):
        """Show a kept conversation again, each answer with its own sources; none (or another user's) is a
        new, empty conversation."""
        owner, conversation = login_of(request), open_id(conversation)
        turns = self.bot.conversations.turns(owner, conversation) if conversation else []
        if not conversation or not turns:  # no conversation has no turns
            return self._empty(owner, words)
        history: list[dict] = []
        kept: dict[str, str] = {}
        for turn in turns:
            history += [{"role": "user", "content": chat_text(turn.question)},
                        {"role": "assistant", "content": turn.bubble}]
            kept[str(len(history) - 1)] = turn.sources
        found = self.bot.conversations.get(owner, conversation)
        return (history, [t.question for t in turns], turns[-1].sources, kept, conversation,
                self._listing(owner, conversation, words), found.title if found else "",
                self._export_file(owner, conversation), None)

    def _empty(self, owner: str, words: str = ""):
        """An empty chat, no conversation open (:data:`NONE_OPEN`)."""
        return [], [], sources_html(None), {}, NONE_OPEN, self._listing(owner, None, words), "", None, None

    def new(self, request: gr.Request, words: str = ""):
        return self._empty(login_of(request), words)

    def rename(self, conversation: str | None, name: str, request: gr.Request, words: str = ""):
        owner, conversation = login_of(request), open_id(conversation)
        if not conversation or not (name or "").strip():
            gr.Warning("Ask a question first, then name its conversation." if not conversation
                       else "A conversation's name cannot be empty.")
            return gr.update(), gr.update()
        self.bot.conversations.rename(owner, conversation, name)
        return self._listing(owner, conversation, words), self._export_file(owner, conversation)

    def rate(self, conversation: str | None, history: list[dict], liked: gr.LikeData, request: gr.Request):
        """The thumbs under an answer: kept with the conversation's turn, in its export and in
        ``bot.conversations.ratings``."""
        index = message_index(liked.index)
        if not conversation or not 0 <= index < len(history) or history[index].get("role") != "assistant":
            return gr.update()
        rating = {True: "up", False: "down"}.get(liked.liked, "") if isinstance(liked.liked, bool) else ""
        owner = login_of(request)
        turn = sum(1 for i in range(1, index) if history[i].get("role") == "assistant"
                   and history[i - 1].get("role") == "user")  # the answers before it, each a turn when kept
        if self.bot.conversations.rate(owner, conversation, text_of(history[index]["content"]), rating, turn):
            return self._export_file(owner, conversation)
        return gr.update()

    @staticmethod
    def ask_to_delete(conversation: str | None):
        """Delete asks once more (nothing open: nothing to ask about)."""
        return gr.update(visible=open_id(conversation) is not None)

    def delete(self, conversation: str | None, request: gr.Request, words: str = ""):
        owner = login_of(request)
        if conversation and self.bot.conversations.get(owner, conversation) is not None:
            self.bot.conversations.delete(owner, conversation)
            shutil.rmtree(self._exports(conversation), ignore_errors=True)
        return self._empty(owner, words)
