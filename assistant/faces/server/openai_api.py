"""The OpenAI-compatible API that ``assistant serve`` adds (``/v1/models``, ``/v1/chat/completions``), so
that the chat clients people already use (Open WebUI, LibreChat, the ``openai`` SDK, LangChain's
``ChatOpenAI``) ask the assistant.

The conversation's earlier user turns are the history; system prompts and assistant turns are not read
(article text and client prompts never steer the answerer). The answer keeps its ``[n]`` markers, ends
with a Sources list, and carries the structured citations in extra fields that OpenAI clients ignore.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ...core import Assistant
from ...errors import AssistantError
from ...records.answer import Answer
from ...records.events import Done, TextDelta
from ...records.filters import Filters, as_of_date
from ...records.wire import answer_dict
from ..render import MarkdownStream, after_answer_markdown, answer_markdown, markdown_safe

log = logging.getLogger(__name__)
RETRY = {"Retry-After": "2"}  # seconds a refused request may wait before asking again
ROLES = {"system", "developer", "user", "assistant", "tool"}


class ApiError(AssistantError):
    """A request the API refuses, with OpenAI's status and error fields."""

    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None,
                 kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.kind = status, message, param, code, kind

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


def _is_unicode(text: str) -> bool:
    """False for text JSON allowed but Unicode does not: a lone surrogate ("\\ud800") cannot be encoded."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text_of(content: object, param: str) -> str:
    """A message's text: a string, or OpenAI's list of ``{"type": "text", "text": …}`` parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) and p.get("type") == "text"
                                         and isinstance(p.get("text"), str) for p in content):
        return "\n".join(p["text"] for p in content)
    raise ApiError(400, f"{param} must be a string or a list of text parts (images and files are not read)",
                   param)


@dataclass(frozen=True)
class ChatRequest:
    """What a chat completion asks, read and checked from the request body."""

    question: str
    history: list[str]
    stream: bool
    filters: Filters
    model: str
    as_of: date | None = None  # "as_of": relative words count from it, later articles are left out

    @classmethod
    def parse(cls, body: bytes, max_chars: int, model: str) -> ChatRequest:
        try:
            data = json.loads(body)
        except ValueError as error:
            raise ApiError(400, f"the request body is not JSON: {error}") from None
        except RecursionError:
            raise ApiError(400, "the request body is nested too deeply to be a chat request") from None
        if not isinstance(data, dict):
            raise ApiError(400, "the request body must be a JSON object")
        messages = data.get("messages")
        if not isinstance(messages, list) or not messages:
            raise ApiError(400, "messages must be a non-empty list", "messages")
        asked = []
        for i, message in enumerate(messages):
            role = message.get("role") if isinstance(message, dict) else None
            if not isinstance(role, str) or role not in ROLES:
                raise ApiError(400, f"messages[{i}].role is {role!r}; expected one of {sorted(ROLES)}",
                               f"messages[{i}].role")
            if role == "user":
                text = _text_of(message.get("content"), f"messages[{i}].content").strip()
                if not _is_unicode(text):
                    raise ApiError(400, f"messages[{i}].content is not valid Unicode (a lone surrogate)",
                                   f"messages[{i}].content")
                if len(text) > max_chars:
                    raise ApiError(400, f"messages[{i}].content is {len(text):,} characters long; the limit is "
                                   f"{max_chars:,} (setting max_question_chars)", f"messages[{i}].content")
                asked.append(text)
        if messages[-1].get("role") != "user" or not asked[-1]:
            raise ApiError(400, "the last message must be a non-empty user message", f"messages[{len(messages) - 1}]")
        stream = data.get("stream", False)
        if not isinstance(stream, bool):
            raise ApiError(400, "stream must be true or false", "stream")
        sources = data.get("sources") or []
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise ApiError(400, "sources must be a list of publisher names or article paths", "sources")
        filters = Filters(tuple(sources), data.get("since"), data.get("until"))
        as_of = data.get("as_of")
        if as_of is not None and not isinstance(as_of, str):
            raise ApiError(400, "as_of must be a date like 2024-12-15", "as_of")
        # The reply names the model that answered (this server's), whatever name the client sent ("gpt-4")
        return cls(asked[-1], [q for q in asked[:-1] if q], stream, filters, model,
                   as_of_date(as_of or None))


class Slots:
    """At most ``limit`` answers at once. A request waits for a slot in the event loop, before its answer
    starts and holding no worker thread, so waiting requests can never starve the ones that hold slots;
    one that gets none within ``wait`` seconds is refused (503 with Retry-After)."""

    POLL = 0.02  # seconds between looks at a full house

    def __init__(self, limit: int, wait: float) -> None:
        self.limit, self.wait = limit, wait
        self._free = threading.BoundedSemaphore(limit)

    async def take(self) -> None:
        deadline = time.monotonic() + self.wait
        while not self._free.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise ApiError(503, f"all {self.limit} answer slots are busy (setting concurrency_limit); "
                               "try again shortly", code="server_busy", kind="server_error")
            await asyncio.sleep(self.POLL)

    def give_back(self) -> None:
        self._free.release()


class OpenAIApi:
    """The endpoints; each checks its request, takes an answer slot, then makes one façade call in a
    worker thread (a stream: one worker step per event)."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot
        self.model = bot.settings.api_model
        self.slots = Slots(bot.settings.concurrency_limit, bot.settings.queue_timeout)

    def routes(self) -> list[Route]:
        return [Route("/v1/models", self.models, methods=["GET"]),
                Route("/v1/models/{model:path}", self.model_info, methods=["GET"]),
                Route("/v1/chat/completions", self.completions, methods=["POST"]),
                Route("/v1/{path:path}", self.not_found, methods=["GET", "POST"])]

    def _model_card(self) -> dict:
        return {"id": self.model, "object": "model", "created": 0, "owned_by": "news-assistant"}

    async def models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [self._model_card()]})

    async def model_info(self, request: Request) -> Response:
        if request.path_params["model"] != self.model:
            return ApiError(404, f"the model {request.path_params['model']!r} does not exist; this server has "
                            f"{self.model!r}", "model", "model_not_found").response()
        return JSONResponse(self._model_card())

    async def not_found(self, request: Request) -> Response:
        return ApiError(404, f"{request.method} {request.url.path} is not part of this API; it serves /v1/models "
                        "and /v1/chat/completions", code="unknown_url").response()

    async def completions(self, request: Request) -> Response:
        try:
            body = await self._body(request)
            chat = ChatRequest.parse(body, self.bot.settings.max_question_chars, self.model)
            await self.slots.take()
        except ApiError as error:
            return error.response(RETRY if error.status == 503 else None)
        except AssistantError as error:  # a bad date, a bad filter: named
            return ApiError(400, str(error)).response()
        try:
            if chat.stream:
                events = self.bot.ask_stream(chat.question, chat.history, filters=chat.filters, as_of=chat.as_of)
                return StreamingResponse(self._held(self._sse(chat, events)), media_type="text/event-stream")
            try:
                answer = await run_in_threadpool(self._ask, chat)
            finally:
                self.slots.give_back()
            return JSONResponse(self._completion(chat, answer))
        except ApiError as error:
            return error.response()
        except AssistantError as error:  # the façade names what it refuses: a bad date, an empty question
            return ApiError(400, str(error)).response()
        except Exception as error:
            log.exception("chat completion failed")
            return ApiError(500, f"the question failed: {error}", kind="server_error").response()

    async def _body(self, request: Request) -> bytes:
        """The request body, read no further than the limit: a huge request is refused, not held."""
        limit = self.bot.settings.max_request_bytes
        refusal = ApiError(413, f"the request is larger than {limit:,} bytes (setting max_request_bytes)",
                           code="request_too_large")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise refusal
        body = bytearray()
        async for piece in request.stream():
            body += piece
            if len(body) > limit:
                raise refusal
        return bytes(body)

    def _ask(self, chat: ChatRequest) -> Answer:
        return self.bot.ask(chat.question, chat.history, filters=chat.filters, as_of=chat.as_of)

    async def _held(self, pieces: Generator[str]) -> AsyncIterator[str]:
        """The stream, holding its slot until it ends, fails or the client goes away (the task is then
        cancelled here, and the slot given back at once, not when the garbage collector comes)."""
        try:
            async for piece in iterate_in_threadpool(pieces):
                yield piece
        finally:
            self.slots.give_back()
            with contextlib.suppress(ValueError):  # still running in its worker: it ends with its next event
                pieces.close()

    def _envelope(self, chat: ChatRequest, kind: str, **fields: object) -> dict:
        return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": kind, "created": int(time.time()),
                "model": chat.model} | fields

    def _completion(self, chat: ChatRequest, answer: Answer) -> dict:
        message = {"role": "assistant", "content": answer_markdown(answer)}
        return self._envelope(chat, "chat.completion",
                              choices=[{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
                              usage={"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                              **_extras(answer))

    def _sse(self, chat: ChatRequest, events: Iterator) -> Generator[str]:
        """OpenAI's stream: chunks with ``delta`` content, the last with ``finish_reason``, then ``[DONE]``."""
        base = self._envelope(chat, "chat.completion.chunk")

        def chunk(delta: dict, finish: str | None = None, **extra: object) -> str:
            choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
            return f"data: {json.dumps(base | {'choices': [choice]} | extra, ensure_ascii=False)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        markdown, streamed = MarkdownStream(), ""
        try:
            for event in events:
                if isinstance(event, TextDelta):
                    streamed += event.text
                    if text := markdown.feed(event.text):
                        yield chunk({"content": text})
                elif isinstance(event, Done):
                    yield chunk({"content": markdown.flush() + _ending(event.answer, streamed)})
                    yield chunk({}, "stop", **_extras(event.answer))
        except Exception as error:
            log.exception("streamed chat completion failed")
            failure = ApiError(500, f"the question failed: {error}", kind="server_error")
            yield f"data: {json.dumps(failure.body(), ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"


def _ending(answer: Answer, streamed: str) -> str:
    """What follows the streamed text: the checked answer when checking changed it, then what follows
    an answer in the non-streamed reply too (note, unsupported sentences, sources)."""
    same = " ".join(answer.text.split()) == " ".join(streamed.split())
    checked = "" if same else f"\n\nChecked answer: {markdown_safe(answer.text)}"
    return checked + after_answer_markdown(answer)


def _extras(answer: Answer) -> dict:
    """The structured answer beside OpenAI's fields (clients that do not know them ignore them)."""
    data = answer_dict(answer)
    return {key: data[key] for key in ("citations", "short_answer", "abstained", "coverage", "period", "timeline",
                                       "briefing", "disagreements")}


class ApiKeyGuard:
    """ASGI middleware: requests under ``prefixes`` need ``Authorization: Bearer <key>``, else a 401 in
    OpenAI's error shape. The page keeps its own login."""

    def __init__(self, app: Callable, key: str | Iterable[str], prefixes: tuple[str, ...] = ("/v1", "/mcp")) -> None:
        keys = [key] if isinstance(key, str) else list(key)
        self.app, self.keys, self.prefixes = app, [k.encode() for k in keys if k], prefixes

    def _known(self, token: bytes) -> bool:
        """Whether ``token`` is one of the keys; every key is compared, in constant time each."""
        return any([hmac.compare_digest(token, key) for key in self.keys])

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            given = dict(scope["headers"]).get(b"authorization", b"")
            scheme, _, token = given.partition(b" ")
            if scheme.lower() != b"bearer" or not self._known(token.strip()):
                message = "Incorrect API key provided." if given else "No API key provided (Authorization: Bearer)."
                refusal = ApiError(401, message, code="invalid_api_key").response({"WWW-Authenticate": "Bearer"})
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
