"""The PyTorch backend: sentence-transformers, loaded lazily, with LangChain's ``Embeddings`` methods.

It is the reference the ONNX export is checked against, and what that backend falls back to for
models it cannot export.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from functools import cached_property

import numpy as np

from ..errors import BadValueError
from ..settings import DEFAULT_MODEL, resolve_model_path


def embedding_dimension(model) -> int:
    """sentence-transformers 6 renamed ``get_sentence_embedding_dimension``; accept both."""
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter())


class SentenceEmbedder:
    """Unit-length vectors, so that cosine similarity is a dot product (PyTorch backend).

    It has the methods of LangChain's ``Embeddings`` without importing LangChain (0.2-0.4 s at every
    command); importing ``assistant.search.langchain`` registers it as one for ``isinstance``."""

    backend = "torch"

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32, device: str = "cpu") -> None:
        if not model:
            raise BadValueError("embedding model must be a model name or path, got an empty string")
        if batch_size < 1:
            raise BadValueError(f"batch_size={batch_size} must be at least 1")
        self.model_name = model
        self.batch_size = batch_size
        self.device = device
        self.texts_embedded = 0  # lets tests and reports see how much work an update did
        self._lock = threading.Lock()
        self._last_single: tuple[str, np.ndarray] | None = None  # the last one text encoded alone

    @cached_property
    def model(self):
        """The SentenceTransformer; importing it costs ~5 s (torch), so only on first use."""
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on every command
        return SentenceTransformer(resolve_model_path(self.model_name), device=self.device)

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    @property
    def dimension(self) -> int:
        return embedding_dimension(self.model)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, counted with the model's own tokenizer (no special tokens)."""
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """One unit vector per text, as a float32 array of shape ``(len(texts), dimension)``."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # on 2 cores concurrent encodes only fight over the same cores
            last = self._last_single
            if len(texts) == 1 and last is not None and last[0] == texts[0]:
                return last[1].copy()  # a question is embedded to search, then again to read: once
            vectors = np.asarray(self._encode(texts, progress), dtype=np.float32)
            if len(texts) == 1:
                self._last_single = (texts[0], vectors.copy())
        self.texts_embedded += len(texts)
        return vectors

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        return await asyncio.to_thread(self.embed_query, text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.model_name!r}, backend={self.backend!r})"
