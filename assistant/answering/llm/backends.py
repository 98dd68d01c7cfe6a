"""LLM backends: LangChain chat models chosen by settings, imported only when asked for.

The ``llm`` extra (llama-cpp-python, langchain-community, langchain-openai, langchain-ollama) is
optional, so nothing here imports it at module level; a missing package becomes an
:class:`LLMError` that names the command that fixes it, which the answerer turns into a note.
"""

from __future__ import annotations

import atexit
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ...errors import LLMError, LLMTimeout
from ...settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

INSTALL_HINT = "pip install 'news-assistant[llm]' (or: make install-llm)"
DEFAULT_CONTEXT = 4096  # tokens of prompt + answer for local GGUF models
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


class NoLock:
    """What a remote backend needs instead of a lock: its server queues requests itself."""

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return True

    def release(self) -> None:
        pass


class Lock(Protocol):
    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...


def _import(module: str, name: str, backend: str) -> Any:
    try:
        return getattr(__import__(module, fromlist=[name]), name)
    except ImportError as exc:
        raise LLMError(f"the {backend} backend needs the 'llm' extra ({exc.name} is missing): {INSTALL_HINT}") from exc


def api_key() -> str | None:
    """``ASSISTANT_LLM_API_KEY`` wins over ``OPENAI_API_KEY``; keys never live in config files."""
    return os.environ.get("ASSISTANT_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY") or None


def describe(settings: Settings) -> str:
    """Names the configured LLM in words a user recognises in a note."""
    if settings.llm_backend == "llamacpp":
        return f"llama.cpp model {settings.llm_model_path.name if settings.llm_model_path else '(no model path)'}"
    if settings.llm_backend == "openai":
        return f"OpenAI-compatible server {settings.llm_base_url or 'api.openai.com'}"
    if settings.llm_backend == "ollama":
        return f"Ollama model {settings.llm_model or '(no model)'} at {settings.llm_base_url or 'localhost:11434'}"
    return "no LLM"


def configuration_problem(settings: Settings) -> str | None:
    """What is missing from the LLM settings themselves (no model file, no model name, no server or key),
    found without loading or reaching anything; None when nothing is."""
    if settings.llm_backend == "llamacpp":
        path = settings.llm_model_path
        if path is None:
            return "the llamacpp backend needs a GGUF file: set ASSISTANT_LLM_MODEL_PATH or --llm-model-path"
        if not path.is_file():
            return f"the GGUF model file {path} does not exist"
    if settings.llm_backend == "openai" and not api_key() and not settings.llm_base_url:
        return "the openai backend needs OPENAI_API_KEY, or ASSISTANT_LLM_BASE_URL for a local server"
    if settings.llm_backend == "ollama" and not settings.llm_model:
        return "the ollama backend needs a model name: set ASSISTANT_LLM_MODEL or --llm-model"
    return None


def _llamacpp(settings: Settings, overrides: dict[str, Any]) -> BaseChatModel:
    """A local GGUF file run in-process by llama.cpp."""
    if (problem := configuration_problem(settings)) is not None:
        raise LLMError(problem)
    path = settings.llm_model_path
    assert path is not None  # configuration_problem said so
    # llama.cpp's OpenMP threads spin while they wait; beside torch on a busy CPU that made prompt
    # reading 5x slower (measured on 2 cores). Passive waiting costs nothing when the CPU is free.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    _import("llama_cpp", "Llama", "llamacpp")
    chat_llama = _import("langchain_community.chat_models", "ChatLlamaCpp", "llamacpp")
    kwargs: dict[str, Any] = {
        "model_path": str(path),
        "n_ctx": DEFAULT_CONTEXT,
        "n_batch": 512,  # ChatLlamaCpp's default of 8 reads a prompt several times slower
        "max_tokens": settings.llm_max_tokens,
        "temperature": settings.llm_temperature,
        "verbose": False,
    }
    try:
        return chat_llama(**(kwargs | overrides))
    except Exception as exc:  # a corrupt or unsupported file fails at load time
        raise LLMError(f"llama.cpp could not load {path.name}: {exc}") from exc


def _openai(settings: Settings, overrides: dict[str, Any]) -> BaseChatModel:
    """OpenAI itself, or any OpenAI-compatible server at ``llm_base_url`` (llama.cpp's, vLLM, ...)."""
    key, base_url = api_key(), settings.llm_base_url
    if (problem := configuration_problem(settings)) is not None:
        raise LLMError(problem)
    chat_openai = _import("langchain_openai", "ChatOpenAI", "openai")
    kwargs: dict[str, Any] = {
        "model": settings.llm_model or (DEFAULT_OPENAI_MODEL if not base_url else "local-model"),
        "api_key": key or "not-needed",  # local servers accept any key, the client insists on one
        "base_url": base_url,
        "timeout": settings.llm_timeout,
        "max_retries": 1,
        "temperature": settings.llm_temperature,
    }
    if base_url:  # llama.cpp's server and other compatible ones ignore max_completion_tokens
        kwargs["extra_body"] = {"max_tokens": settings.llm_max_tokens}
    else:
        kwargs["max_completion_tokens"] = settings.llm_max_tokens
    return chat_openai(**(kwargs | overrides))


def _ollama(settings: Settings, overrides: dict[str, Any]) -> BaseChatModel:
    """A model served by Ollama."""
    if (problem := configuration_problem(settings)) is not None:
        raise LLMError(problem)
    chat_ollama = _import("langchain_ollama", "ChatOllama", "ollama")
    kwargs: dict[str, Any] = {
        "model": settings.llm_model,
        "base_url": settings.llm_base_url,
        "temperature": settings.llm_temperature,
        "num_predict": settings.llm_max_tokens,
        "client_kwargs": {"timeout": settings.llm_timeout},
    }
    return chat_ollama(**(kwargs | overrides))


Builder = Callable[[Settings, dict[str, Any]], "BaseChatModel"]
# One entry per ``llm_backend`` value: a new backend is one builder and one line here.
BACKENDS: dict[str, Builder] = {"llamacpp": _llamacpp, "openai": _openai, "ollama": _ollama}


def make_chat_model(settings: Settings, **overrides: Any) -> BaseChatModel:
    """A new chat model for ``settings.llm_backend``; ``overrides`` go to the LangChain class as-is."""
    build = BACKENDS.get(settings.llm_backend)
    if build is None:
        raise LLMError(f"no LLM backend is configured (llm_backend={settings.llm_backend!r})")
    return build(settings, overrides)


_models: dict[tuple, tuple[BaseChatModel, Lock]] = {}
_models_lock = threading.Lock()


def release_models() -> None:
    """Free loaded models while Python is still whole: llama.cpp's finaliser fails noisily when it runs
    during interpreter shutdown, after the modules it needs are gone."""
    with _models_lock:
        _models.clear()
    gc.collect()


atexit.register(release_models)


def shared_chat_model(settings: Settings) -> tuple[BaseChatModel, Lock]:
    """One chat model per configuration, loaded once, with the lock its backend needs.

    A GGUF model takes seconds to load and its llama.cpp context serves one request at a time, so
    the answerer and the condenser share it behind a lock; remote backends need no lock. A plain
    ``Lock``, not an ``RLock``: the lock is held across the answer's stream, and a stream the web chat
    stopped is closed by whichever thread drops it. An ``RLock`` can only be released by the thread that
    took it, so the model stayed "busy" for every later question from another thread.
    """
    key = (settings.llm_backend, settings.llm_model_path, settings.llm_base_url, settings.llm_model,
           settings.llm_max_tokens, settings.llm_temperature, settings.llm_timeout, api_key())
    with _models_lock:
        if key not in _models:
            lock: Lock = threading.Lock() if settings.llm_backend == "llamacpp" else NoLock()
            _models[key] = (make_chat_model(settings), lock)
        return _models[key]


def _text(content: Any) -> str:
    """A chunk's content as text: a string, or a list of parts of which some carry text."""
    if isinstance(content, str):
        return content
    return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content or [] if p)


def generate(settings: Settings, messages: Sequence[BaseMessage], chat_model: BaseChatModel | None = None
             ) -> Iterator[str]:
    """Stream from ``chat_model`` or the shared one, holding its lock; the whole call respects llm_timeout."""
    deadline = time.monotonic() + settings.llm_timeout
    model, lock = (chat_model, NoLock()) if chat_model is not None else shared_chat_model(settings)
    if not lock.acquire(timeout=settings.llm_timeout):
        raise LLMTimeout("the local model stayed busy with another question")
    try:
        yield from stream_text(model, messages, deadline)
    finally:
        lock.release()


def stream_text(model: BaseChatModel, messages: Sequence[BaseMessage], deadline: float) -> Iterator[str]:
    """Text deltas as the model produces them; stops generating once ``deadline`` (monotonic) passes."""
    stream = model.stream(list(messages))
    try:
        for chunk in stream:
            if time.monotonic() > deadline:
                raise LLMTimeout("the LLM did not finish in time")
            text = _text(chunk.content)
            if text:
                yield text
    finally:
        close = getattr(stream, "close", None)
        if close:  # stops llama.cpp generating tokens nobody will read
            close()
