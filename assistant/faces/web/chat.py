"""The chat's handlers: a question asked (streamed, refused in words, or failed as an apology), asked again or
edited, each answer with its own sources; and the options' marker over the chat."""

from __future__ import annotations

import logging
import re

import gradio as gr

from ...core import Assistant
from ...errors import AssistantError
from ...records.answer import Answer
from ...records.events import Done, Status, TextDelta
from ...records.filters import Filters, as_of_date
from ...records.wire import answer_dict
from ..render import chat_answer, chat_status, chat_text, typed_text
from .conversations import message_index, text_of
from .sources import shown_sources

log = logging.getLogger(__name__)


def _filters(since: str, until: str, sources: list[str] | None) -> Filters:
    return Filters(tuple(sources or ()), (since or "").strip() or None, (until or "").strip() or None)


OPTION_LABELS = {"since": "Since", "until": "Until", "as_of": "As of"}  # the page's names of the settings
SETTING_VALUE = re.compile(rf"\b({'|'.join(OPTION_LABELS)})=('[^']*'|\S+)")


def in_page_words(error: AssistantError) -> str:
    """A bad option as the page names it: "“2026-13-40” in As of is not a date like 2024-12-15", not the
    setting's name (``as_of='2026-13-40'``)."""
    text = str(error)
    first = SETTING_VALUE.search(text)
    if first and first.start() == 0 and text[first.end():].startswith(" is not"):  # the typed value, then where
        value = first[2].strip("'")
        text = f"“{value}” in {OPTION_LABELS[first[1]]}{text[first.end():]}"
    return SETTING_VALUE.sub(lambda m: f"{OPTION_LABELS[m[1]]} {m[2].strip(chr(39))}", text)


BRIEFING_QUESTION = "What's new?"  # the Briefing button's question: the past seven days, or the options' dates


class ChatPage:
    """Event handlers; each calls the façade and turns its typed result into components."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def respond(self, message: str, history: list[dict], questions: list[str], k: int, since: str, until: str,
                sources: list[str] | None, as_of: str = ""):
        question = (message or "").strip()
        if not question:
            yield history, questions, gr.update(), "", None
            return
        limit = self.bot.settings.max_question_chars
        try:
            filters = _filters(since, until, sources)
            day = as_of_date((as_of or "").strip() or None)
        except AssistantError as error:
            refusal: str | None = f"Please correct the options: {in_page_words(error)}."
        else:
            refusal = (f"Your question is {len(question):,} characters long; please keep it under {limit:,}."
                       if len(question) > limit else None)
        if refusal:  # said in the chat; the question stays in the box, to be asked again once corrected
            said = {"role": "assistant", "content": chat_text(refusal)}
            yield [*history, said], questions, gr.update(), message, None
            return
        history = [*history, {"role": "user", "content": chat_text(question)},
                   {"role": "assistant", "content": "…"}]
        yield history, questions, gr.update(), "", None
        answer: Answer | None = None
        try:
            written = ""
            for event in self.bot.ask_stream(question, history=questions, k=int(k), filters=filters, as_of=day):
                match event:
                    case Status(message):
                        history[-1] = {"role": "assistant", "content": chat_status(message)}
                    case TextDelta(text):
                        written += text
                        history[-1] = {"role": "assistant", "content": chat_text(written)}
                    case Done(answer):
                        history[-1] = {"role": "assistant", "content": chat_answer(answer)}
                yield history, questions, gr.update(), "", None
        except Exception as error:
            log.exception("question failed: %r", question)
            history[-1] = {"role": "assistant",
                           "content": f"Sorry, this question failed: {chat_text(str(error) or type(error).__name__)}"}
        yield history, [*questions, question], shown_sources(self.bot, answer), "", answer

    @staticmethod
    def filters_on(since: str, until: str, sources: list[str] | None, as_of: str) -> str:
        """The marker over the chat while options narrow the answers; a bad date is named as it is typed."""
        try:
            filters = _filters(since, until, sources)
            day = as_of_date((as_of or "").strip() or None)
        except AssistantError as error:
            return f"**Options:** please correct this: {chat_text(in_page_words(error))}"
        said = [f"{name} {value}" for name, value in (("since", filters.since), ("until", filters.until),
                                                      ("only", ", ".join(filters.sources)), ("as of", day)) if value]
        return "**Filters on:** " + chat_text("; ".join(said)) if said else ""

    @staticmethod
    def keep(history: list[dict], shown: str, kept: dict[str, str]) -> dict[str, str]:
        """Each answer keeps its own sources: the panel just shown, under the answer's message index."""
        return {**kept, str(len(history) - 1): shown} if history and history[-1]["role"] == "assistant" else kept

    @staticmethod
    def sources_of(kept: dict[str, str], selected: gr.SelectData):
        """The sources of the answer the user clicked or tapped, in the panel."""
        return kept.get(str(message_index(selected.index)), gr.update())

    def asked_again(self, history: list[dict], questions: list[str], kept: dict[str, str],
                    retried: gr.RetryData):
        """Regenerate: the answer under the last question is dropped and the question asked again (an index
        updated since, or an LLM, may answer it otherwise)."""
        return self._rewound(history, questions, kept, message_index(retried.index), None)

    def edited(self, history: list[dict], questions: list[str], kept: dict[str, str], edit: gr.EditData):
        """A sent question edited: the chat from it on is dropped and the new wording asked in its place."""
        return self._rewound(history, questions, kept, message_index(edit.index), typed_text(text_of(edit.value)))

    @staticmethod
    def _rewound(history: list[dict], questions: list[str], kept: dict[str, str], index: int,
                 question: str | None):
        """The chat before the question at message ``index``, the question to ask there (put in the box, so
        it is asked as if typed, options and all) and the kept turn its answer takes the place of."""
        turn = sum(1 for message in history[:index] if message.get("role") == "user")
        if question is None:  # as it was asked, not as the bubble shows it (escaped)
            question = questions[turn] if turn < len(questions) else typed_text(text_of(history[index]["content"]))
        earlier = {key: shown for key, shown in kept.items() if int(key) < index}
        return history[:index], questions[:turn], earlier, question, turn

    def ask_api(self, question: str, k: int = 5, as_of: str = "") -> dict:
        """API for scripts (gradio_client): the same JSON as ``assistant ask --json`` (``as_of``: ``--as-of``)."""
        return answer_dict(self.bot.ask(question, k=int(k), as_of=as_of.strip() or None))
