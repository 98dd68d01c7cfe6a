"""The exported-model file: its name, what it was made from, and the metadata it carries.

The writer (:mod:`.onnx_export`) and the reader (:mod:`.onnx_runtime`) both import this module and
nothing else of the package, so the format is defined once and imports run one way. Everything the
runtime needs besides the graph (tokenizer, pooling, limits) travels as ONNX metadata, which is why
a process that finds the file never imports torch.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from ..errors import BadValueError
from ..settings import DEFAULT_MODEL, resolve_model_path

EXPORT_VERSION = "2"  # bump when the export recipe changes: cached files are rebuilt
META_PREFIX = "assistant."  # namespaces our keys among the ONNX file's metadata_props
# Written by the export, read by the runtime; all values are strings.
META_KEYS = ("fingerprint", "model", "tokenizer", "input_names", "max_seq_length", "pooling", "pad_id", "dimension")
POOLINGS = ("mean", "cls", "max")  # sentence-transformers pooling modes the runtime reproduces


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


def to_metadata(meta: Mapping[str, str]) -> dict[str, str]:
    """Our keys as stored in the file (prefixed); refuses a description that misses or adds a key."""
    if set(meta) != set(META_KEYS):
        raise BadValueError(f"export metadata must have exactly {META_KEYS}, got {sorted(meta)}")
    return {META_PREFIX + key: str(value) for key, value in meta.items()}


def from_metadata(stored: Mapping[str, str]) -> dict[str, str]:
    """Our keys from a file's metadata, prefix removed; other tools' keys are ignored."""
    return {key[len(META_PREFIX):]: value for key, value in stored.items() if key.startswith(META_PREFIX)}
