"""ONNX backend: the same weights exported once, int8-quantised, run with onnxruntime.

Why: embedding dominates indexing, and on CPU an int8 export (see :mod:`.onnx_export`) runs 2-3x
faster than PyTorch at cosine ~0.99 to the float vectors. Neither ``sentence-transformers[onnx]`` nor
OpenVINO installs beside this stack, so we export with ``torch.onnx.export`` and
quantise with onnxruntime ourselves. The result is one file cached in ``<index>/models/``, rebuilt
when missing or made from other model files (:mod:`.onnx_format`).
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import BadValueError, ModelError
from ..settings import DEFAULT_MODEL
from . import onnx_export
from .onnx_format import cache_file, fingerprint
from .onnx_runtime import TOKENS_PER_BATCH, Runtime, encode_with, load_runtime
from .torch_backend import SentenceEmbedder

log = logging.getLogger(__name__)


class OnnxEmbedder(SentenceEmbedder):
    """Drop-in for :class:`SentenceEmbedder`; falls back to PyTorch for models it cannot export."""

    backend = "onnx"

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32, device: str = "cpu",
                 cache_dir: Path | str = Path("index") / "models") -> None:
        super().__init__(model, batch_size, device)
        if device != "cpu":
            raise BadValueError(f"embedding_backend='onnx' runs on the CPU; "
                                f"use embedding_backend='torch' for {device!r}")
        self.cache_dir = Path(cache_dir)
        self.tokens_per_batch = TOKENS_PER_BATCH
        self.exports = 0  # how many times this process exported the model (tests check the cache)
        self._runtime: Runtime | None = None
        self._loaded = False
        self._load_lock = threading.Lock()

    @property
    def path(self) -> Path:
        return cache_file(self.model_name, self.cache_dir)

    @property
    def runtime(self) -> Runtime | None:
        """Load the cached export, building it first when missing or stale; None means PyTorch fallback."""
        if not self._loaded:
            with self._load_lock:
                if not self._loaded:
                    self._runtime = self._load()
                    self._loaded = True
        return self._runtime

    def _load(self) -> Runtime | None:
        from filelock import FileLock

        expected = fingerprint(self.model_name)
        runtime = load_runtime(self.path, expected)
        if runtime is not None:
            return runtime
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock"):  # a second process waits, then finds the file built
            runtime = load_runtime(self.path, expected)
            if runtime is None:
                try:
                    log.info("exporting %s to %s", self.model_name, self.path)
                    onnx_export.export_int8(self.model_name, self.path)
                    self.exports += 1
                except Exception as error:  # any model still works, just slower
                    warnings.warn(f"ONNX export of {self.model_name!r} failed ({error}); using PyTorch instead",
                                  RuntimeWarning, stacklevel=3)
                    self.backend = "torch"
                    return None
                runtime = load_runtime(self.path, expected)
        if runtime is None:
            raise ModelError(f"exported model {self.path} cannot be loaded")
        return runtime

    @property
    def max_tokens(self) -> int:
        runtime = self.runtime
        return runtime.max_seq_length if runtime else super().max_tokens

    @property
    def dimension(self) -> int:
        runtime = self.runtime
        return runtime.dimension if runtime else super().dimension

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        runtime = self.runtime
        if runtime is None:
            return super().count_tokens(texts)
        if not texts:
            return []
        return [len(e.ids) for e in runtime.counter.encode_batch(list(texts), add_special_tokens=False)]

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        runtime = self.runtime
        if runtime is None:
            return super()._encode(texts, progress)
        return encode_with(runtime, texts, self.batch_size, self.tokens_per_batch)
