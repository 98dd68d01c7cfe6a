"""Answer with an LLM when the user has one, keeping the promise that every claim is cited.

The passages go into the prompt numbered and fenced as data; the LLM's answer streams out as it is
written, then its citations are checked (:mod:`assistant.answering.llm.verify`). Whenever the LLM cannot give a
cited answer (not installed, unreachable, too slow, citing nothing), the extractive answer comes
back instead with a note saying why: the user never sees a stack trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ...errors import LLMTimeout
from ...records.answer import Answer, strip_markers
from ...records.article import Passage
from ...records.events import AnswerEvent, Done, Status, TextDelta, final_answer
from ...records.query import Query
from ...settings import Settings
from .. import ABSTAIN_TEXT, ExtractiveAnswerer
from ..base import Answerer
from .backends import describe, generate
from .prompts import fence, format_history, load_prompt

if TYPE_CHECKING:  # LangChain is imported only on the LLM path
    from langchain_core.messages import BaseMessage
from .verify import CitationChecker

log = logging.getLogger(__name__)

ABSTAINS = re.compile(r"\b(?:articles?|passages?|sources?)\b.{0,40}\b(?:don['’]?t|do not|does not|doesn['’]?t)\s+"
                      r"(?:say|mention|contain|answer|hold|include)", re.IGNORECASE | re.DOTALL)


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

    def passages_wanted(self, k: int) -> int:
        return k

    def run(self, query: Query, passages: list[Passage]) -> Answer:
        return final_answer(self.stream(query, passages))

    def stream(self, query: Query, passages: list[Passage]) -> Iterator[AnswerEvent]:
        """Text deltas as the LLM writes them, then the checked :class:`Answer` (always last)."""
        if not passages:
            yield Done(self.extractive.run(query, passages))
            return
        pieces: list[str] = []
        yield Status(f"Writing the answer ({describe(self.settings)})")
        try:
            for delta in generate(self.settings, self.messages(query.text, passages, query.history), self.chat_model):
                pieces.append(delta)
                yield TextDelta(delta)
        except LLMTimeout:
            yield Done(self.fallback(query, passages,
                                     f"The LLM ({describe(self.settings)}) did not answer within "
                                     f"{self.settings.llm_timeout:g} s"))
            return
        except Exception as exc:  # unreachable server, bad model file, missing package: never a stack trace
            log.warning("LLM failed: %r", exc)
            failed = "could not be reached" if _is_connection_error(exc) else "failed"
            yield Done(self.fallback(query, passages, f"The LLM ({describe(self.settings)}) {failed}: {_reason(exc)}"))
            return
        try:
            final = self.finish(query, passages, "".join(pieces))
        except Exception as exc:
            log.warning("checking the LLM's citations failed: %r", exc)
            final = self.fallback(query, passages, f"Checking the LLM's citations failed: {exc}")
        yield Done(final)

    def finish(self, query: Query, passages: list[Passage], raw: str) -> Answer:
        """Check the LLM's citations; an answer that no passage backs is replaced by the extractive one."""
        checked = self.checker.check(raw.strip(), passages)
        if any(c.verified for c in checked.citations):
            return Answer(checked.text, checked.citations, False, passages, query.text, query.search_text,
                          unverified=checked.unverified)
        if checked.citations:
            return self.fallback(query, passages, "The LLM's answer cited passages that do not support it")
        if ABSTAINS.search(strip_markers(raw)):
            return Answer(ABSTAIN_TEXT, [], True, passages, query.text, query.search_text)
        return self.fallback(query, passages, "The LLM's answer cited none of the passages")

    def fallback(self, query: Query, passages: list[Passage], why: str) -> Answer:
        answer = self.extractive.run(query, passages)
        answer.note = f"{why.rstrip('.')}, so this is the extractive answer (sentences quoted from the articles)."
        return answer


def _is_connection_error(exc: BaseException) -> bool:
    """openai's APIConnectionError, httpx's ConnectError, the OS's refusals: all say 'unreachable'."""
    chain = [exc, exc.__cause__, exc.__context__]
    return any(isinstance(e, ConnectionError) or "Connect" in type(e).__name__ for e in chain if e)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def make_answerer(settings: Settings, embedder: Any, extractive: ExtractiveAnswerer) -> Answerer:
    """The extractive answerer when no LLM is configured, else an LLM answerer that falls back to it."""
    if settings.llm_backend == "none":
        return extractive
    return LLMAnswerer(settings, embedder, extractive)
