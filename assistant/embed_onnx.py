"""ONNX backend: the same weights exported once, int8-quantised, run with onnxruntime.

Why: embedding dominates indexing, and on CPU an int8 export (see :mod:`assistant.onnx_export`) runs
2-3x faster than PyTorch at cosine ~0.99 to the float vectors. Neither ``sentence-transformers[onnx]``
nor OpenVINO installs beside this stack (see DESIGN.md), so we export with ``torch.onnx.export`` and
quantise with onnxruntime ourselves. The result is one file cached in ``<index>/models/``, rebuilt
when missing or made from other model files; the tokenizer and pooling settings travel inside it as
ONNX metadata, so a process that finds the file never imports torch (start-up ~1 s instead of ~6 s).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embed import SentenceEmbedder, resolve_model_path
from .settings import DEFAULT_MODEL

EXPORT_VERSION = "2"  # bump when the export recipe changes: cached files are rebuilt
META_PREFIX = "assistant."
POOLINGS = ("mean", "cls", "max")
# Padded tokens per onnxruntime call: past ~2k the activations fall out of cache and int8 MatMuls slow
# down (measured: 16 chunks of ~180 tokens ran faster than 32 or 64); short sentences still go 32 at once.
TOKENS_PER_BATCH = 2048
log = logging.getLogger(__name__)


def fingerprint(model_name: str) -> str:
    """What the export depends on: the model's name, its files (size, mtime) and the recipe."""
    digest = hashlib.sha256(f"{EXPORT_VERSION}\x00{model_name}".encode())
    folder = Path(resolve_model_path(model_name))
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"\x00{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cache_file(model_name: str, cache_dir: Path) -> Path:
    """``<cache_dir>/<model>-int8.onnx``, named after the model so a person can tell what it is."""
    base = model_name.removeprefix("bundled:") if model_name == DEFAULT_MODEL else Path(model_name.rstrip("/")).name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.") or "model"
    return cache_dir / f"{slug}-int8.onnx"


@dataclass
class Runtime:
    """A loaded export: the session, its tokenizers and how to pool."""

    session: object
    counter: object  # tokenizers.Tokenizer without truncation: counts word pieces
    encoder: object  # the same with the model's truncation: feeds the session
    input_names: list[str]
    max_seq_length: int
    pooling: str
    pad_id: int
    dimension: int


def load_runtime(path: Path, expected: str) -> Runtime | None:
    """The cached export if it is readable and made from the same model files, else None."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    try:
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception:  # missing or damaged file: the caller rebuilds it
        return None
    raw = session.get_modelmeta().custom_metadata_map
    meta = {k[len(META_PREFIX):]: v for k, v in raw.items() if k.startswith(META_PREFIX)}
    if meta.get("fingerprint") != expected:
        return None
    counter, encoder = Tokenizer.from_str(meta["tokenizer"]), Tokenizer.from_str(meta["tokenizer"])
    counter.no_truncation()
    counter.no_padding()
    encoder.no_padding()
    encoder.enable_truncation(int(meta["max_seq_length"]))
    declared = {i.name for i in session.get_inputs()}
    return Runtime(session, counter, encoder, [n for n in json.loads(meta["input_names"]) if n in declared],
                   int(meta["max_seq_length"]), meta["pooling"], int(meta["pad_id"]), int(meta["dimension"]))


class OnnxEmbedder(SentenceEmbedder):
    """Drop-in for :class:`SentenceEmbedder`; falls back to PyTorch for models it cannot export."""

    backend = "onnx"

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32, device: str = "cpu",
                 cache_dir: Path | str = Path("index") / "models") -> None:
        super().__init__(model, batch_size, device)
        if device != "cpu":
            raise ValueError(f"embedding_backend='onnx' runs on the CPU; use embedding_backend='torch' for {device!r}")
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
                    from .onnx_export import export_int8

                    export_int8(self.model_name, self.path)
                    self.exports += 1
                except Exception as error:  # any model still works, just slower
                    warnings.warn(f"ONNX export of {self.model_name!r} failed ({error}); using PyTorch instead",
                                  RuntimeWarning, stacklevel=3)
                    self.backend = "torch"
                    return None
                runtime = load_runtime(self.path, expected)
        if runtime is None:
            raise RuntimeError(f"exported model {self.path} cannot be loaded")
        return runtime

    @property
    def max_tokens(self) -> int:
        runtime = self.runtime
        return runtime.max_seq_length if runtime else super().max_tokens

    @property
    def dimension(self) -> int:
        runtime = self.runtime
        return runtime.dimension if runtime else super().dimension

    def count_tokens(self, texts) -> list[int]:
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


def encode_with(runtime: Runtime, texts: list[str], batch_size: int = 32,
                tokens_per_batch: int = TOKENS_PER_BATCH) -> np.ndarray:
    """Unit vectors for ``texts``: tokenise all, then run batches of similar length (least padding)."""
    encodings = runtime.encoder.encode_batch(texts)
    order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
    out = np.empty((len(texts), runtime.dimension), dtype=np.float32)
    first = 0
    while first < len(texts):  # longest first: a batch holds at most tokens_per_batch padded tokens
        width = len(encodings[order[first]].ids)
        rows = order[first:first + max(1, min(batch_size, tokens_per_batch // max(width, 1)))]
        out[rows] = _run(runtime, [encodings[i] for i in rows])
        first += len(rows)
    return out


def _run(runtime: Runtime, encodings: list) -> np.ndarray:
    """One onnxruntime call, then the model's pooling and L2 normalisation."""
    width = max(len(e.ids) for e in encodings)
    arrays = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in
              ("input_ids", "attention_mask", "token_type_ids")}
    arrays["input_ids"].fill(runtime.pad_id)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        arrays["input_ids"][row, :n] = e.ids
        arrays["attention_mask"][row, :n] = e.attention_mask
        arrays["token_type_ids"][row, :n] = e.type_ids
    hidden = runtime.session.run(None, {name: arrays[name] for name in runtime.input_names})[0]
    mask = arrays["attention_mask"][..., None].astype(np.float32)
    if runtime.pooling == "cls":
        pooled = hidden[:, 0]
    elif runtime.pooling == "max":
        pooled = np.where(mask > 0, hidden, -1e9).max(axis=1)
    else:
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
