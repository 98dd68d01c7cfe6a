"""Answer with an LLM when the user has one, keeping the promise that every claim is cited.

The passages go into the prompt numbered and fenced as data; the LLM's answer streams out as it is
written, then its citations are checked (:mod:`assistant.verify`). Whenever the LLM cannot give a
cited answer (not installed, unreachable, too slow, citing nothing), the extractive answer comes
back instead with a note saying why: the user never sees a stack trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from .answer import ABSTAIN_TEXT, ExtractiveAnswerer
from .condense import condense
from .llm import LLMError, LLMTimeout, describe, generate
from .settings import Settings
from .types import Answer, Passage
from .verify import CitationChecker, strip_markers

log = logging.getLogger(__name__)

SECTION = re.compile(r"^=== *(system|user) *===[ \t]*$", re.MULTILINE)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
FENCE_TAG = re.compile(r"<(/?)(passage)", re.IGNORECASE)
ABSTAINS = re.compile(r"\b(?:articles?|passages?|sources?)\b.{0,40}\b(?:don['’]?t|do not|does not|doesn['’]?t)\s+"
                      r"(?:say|mention|contain|answer|hold|include)", re.IGNORECASE | re.DOTALL)
PACKAGED_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


class Answerer(Protocol):
    def run(self, question: str, passages: list[Passage], search_query: str | None = None) -> Answer: ...


@dataclass
class PromptTemplate:
    """A prompt file: ``=== system ===`` and ``=== user ===`` parts; text above the first is a note for editors."""

    system: str
    user: str

    @classmethod
    def parse(cls, text: str) -> PromptTemplate:
        parts = SECTION.split(text)
        if len(parts) == 1:
            return cls("", text.strip())
        sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
        return cls(sections.get("system", ""), sections.get("user", ""))

    def messages(self, **values: str) -> list[BaseMessage]:
        """Fill ``{name}`` placeholders in one pass; other braces (and braces in values) stay as written."""

        def fill(template: str) -> str:
            return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)

        system = [SystemMessage(fill(self.system))] if self.system else []
        return [*system, HumanMessage(fill(self.user))]


def load_prompt(settings: Settings, name: str) -> PromptTemplate:
    """``prompts/<name>.txt`` from settings.prompts_dir, read on every call so edits apply at once."""
    for folder in (settings.prompts_dir, PACKAGED_PROMPTS):
        path = Path(folder) / f"{name}.txt"
        if path.is_file():
            return PromptTemplate.parse(path.read_text(encoding="utf-8"))
    raise LLMError(f"prompt template {name}.txt is missing from {settings.prompts_dir}")


def fence(passages: Sequence[Passage]) -> str:
    """Passages as numbered ``<passage>`` blocks; tags inside article text are defused so none can close one."""
    blocks = []
    for n, p in enumerate(passages, 1):
        title = " ".join(p.title.replace('"', "'").replace("<", "‹").replace(">", "›").split())
        date = f' date="{p.date}"' if p.date else ""
        body = FENCE_TAG.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", p.text.strip())
        blocks.append(f'<passage n="{n}" title="{title}"{date}>\n{body}\n</passage>')
    return "\n\n".join(blocks)


def format_history(history: Sequence[str] | None) -> str:
    earlier = [" ".join(h.split()) for h in history or [] if h.strip()]
    return "".join(f"- {h}\n" for h in earlier[-6:])


class LLMAnswerer:
    """``run``/``stream`` like the extractive answerer, with the extractive one as the fallback."""

    def __init__(self, settings: Settings, embedder: Any, extractive: ExtractiveAnswerer,
                 chat_model: Any = None, checker: CitationChecker | None = None) -> None:
        self.settings = settings
        self.extractive = extractive
        self.checker = checker or CitationChecker(embedder)
        self.chat_model = chat_model  # tests and Python users may hand in a ready LangChain model

    def messages(self, question: str, passages: Sequence[Passage],
                 history: Sequence[str] | None = None) -> list[BaseMessage]:
        earlier = format_history(history)
        return load_prompt(self.settings, "answer").messages(
            passages=fence(passages), question=" ".join(question.split()),
            history=f"Earlier questions in this conversation:\n{earlier}\n" if earlier else "")

    def run(self, question: str, passages: list[Passage], search_query: str | None = None,
            history: Sequence[str] | None = None) -> Answer:
        final = None
        for item in self.stream(question, passages, search_query, history):
            final = item
        assert isinstance(final, Answer)  # stream always ends with one
        return final

    def stream(self, question: str, passages: list[Passage], search_query: str | None = None,
               history: Sequence[str] | None = None) -> Iterator[str | Answer]:
        """Text deltas as the LLM writes them, then the checked :class:`Answer` (always last)."""
        search_query = search_query or question
        if not passages:
            yield self.extractive.run(question, passages, search_query)
            return
        pieces: list[str] = []
        try:
            for delta in generate(self.settings, self.messages(question, passages, history), self.chat_model):
                pieces.append(delta)
                yield delta
        except LLMTimeout:
            yield self.fallback(question, passages, search_query,
                                f"The LLM ({describe(self.settings)}) did not answer within "
                                f"{self.settings.llm_timeout:g} s")
            return
        except Exception as exc:  # unreachable server, bad model file, missing package: never a stack trace
            log.warning("LLM failed: %r", exc)
            failed = "could not be reached" if _is_connection_error(exc) else "failed"
            yield self.fallback(question, passages, search_query,
                                f"The LLM ({describe(self.settings)}) {failed}: {_reason(exc)}")
            return
        try:
            final = self.finish(question, passages, search_query, "".join(pieces))
        except Exception as exc:
            log.warning("checking the LLM's citations failed: %r", exc)
            final = self.fallback(question, passages, search_query, f"Checking the LLM's citations failed: {exc}")
        yield final

    def finish(self, question: str, passages: list[Passage], search_query: str, raw: str) -> Answer:
        """Check the LLM's citations; an answer that no passage backs is replaced by the extractive one."""
        checked = self.checker.check(raw.strip(), passages)
        if any(c.verified for c in checked.citations):
            return Answer(checked.text, checked.citations, False, passages, question, search_query,
                          unverified=checked.unverified)
        if checked.citations:
            return self.fallback(question, passages, search_query,
                                 "The LLM's answer cited passages that do not support it")
        if ABSTAINS.search(strip_markers(raw)):
            return Answer(ABSTAIN_TEXT, [], True, passages, question, search_query)
        return self.fallback(question, passages, search_query, "The LLM's answer cited none of the passages")

    def fallback(self, question: str, passages: list[Passage], search_query: str, why: str) -> Answer:
        answer = self.extractive.run(question, passages, search_query)
        answer.note = f"{why.rstrip('.')}, so this is the extractive answer (sentences quoted from the articles)."
        return answer

    def condense(self, question: str, history: Sequence[str] | None) -> str:
        """A standalone search question written by the LLM (see :func:`condense_with_llm`)."""
        return condense_with_llm(self.settings, question, history, self.chat_model)


def _is_connection_error(exc: BaseException) -> bool:
    """openai's APIConnectionError, httpx's ConnectError, the OS's refusals: all say 'unreachable'."""
    chain = [exc, exc.__cause__, exc.__context__]
    return any(isinstance(e, ConnectionError) or "Connect" in type(e).__name__ for e in chain if e)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def make_answerer(settings: Settings, embedder: Any, extractive: ExtractiveAnswerer) -> Answerer | LLMAnswerer:
    """The extractive answerer when no LLM is configured, else an LLM answerer that falls back to it."""
    if settings.llm_backend == "none":
        return extractive
    return LLMAnswerer(settings, embedder, extractive)


def stream_answer(answerer: Answerer | LLMAnswerer, question: str, passages: list[Passage],
                  search_query: str | None = None, history: Sequence[str] | None = None
                  ) -> Iterator[str | Answer]:
    """One streaming call for both answerers: the extractive one yields its whole text, then its Answer."""
    if isinstance(answerer, LLMAnswerer):
        yield from answerer.stream(question, passages, search_query, history)
        return
    answer = answerer.run(question, passages, search_query)
    if answer.text:
        yield answer.text
    yield answer


def condense_with_llm(settings: Settings, question: str, history: Sequence[str] | None,
                      chat_model: Any = None) -> str:
    """Follow-up -> standalone search question written by the LLM; the heuristic one without an LLM,
    on failure, or when the LLM's reply does not look like a question of sensible length."""
    heuristic = condense(question, list(history) if history else None)
    earlier = format_history(history)
    if not earlier or (settings.llm_backend == "none" and chat_model is None):
        return heuristic
    try:
        messages = load_prompt(settings, "condense").messages(history=earlier, question=" ".join(question.split()))
        text = "".join(generate(settings, messages, chat_model))
    except Exception as exc:
        log.warning("LLM condense failed: %r", exc)
        return heuristic
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    rewritten = re.sub(r"^(?:standalone question|question)\s*:\s*", "", lines[0], flags=re.I) if lines else ""
    rewritten = strip_markers(rewritten).strip(" \"'“”")
    return rewritten if 3 <= len(rewritten) <= 2 * len(heuristic) + 80 else heuristic
