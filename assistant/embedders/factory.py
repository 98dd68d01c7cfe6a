"""Which embedder the settings ask for, where its exports are cached, and how its vectors are named."""

from __future__ import annotations

from pathlib import Path

from ..settings import Settings, user_cache_dir
from .onnx_backend import OnnxEmbedder
from .onnx_format import EXPORT_VERSION
from .protocol import Embedder
from .torch_backend import SentenceEmbedder


def models_dir(settings: Settings) -> Path:
    """Exported models live in the user's cache, shared by every index: an export takes ~10 s and 1 GB
    of memory, and its file name says which model files and recipe made it. ``models_dir`` moves it."""
    return settings.models_dir or user_cache_dir() / "news-assistant" / "models"


def backend_identity(settings: Settings) -> str:
    """What the index identity should record about the backend: vectors differ slightly between
    PyTorch and the int8 export (cosine ~0.99), and between export recipes."""
    if settings.embedding_backend == "onnx":
        return f"onnx-int8-v{EXPORT_VERSION}"
    return "torch"


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for (backend chosen by ``embedding_backend``); nothing is loaded yet."""
    if settings.embedding_backend == "onnx":
        return OnnxEmbedder(settings.embedding_model, settings.embedding_batch_size, settings.device,
                            cache_dir=models_dir(settings))
    return SentenceEmbedder(settings.embedding_model, settings.embedding_batch_size, settings.device)
