"""Running an exported model: load the file, tokenise, batch by length, pool and normalise.

Shared by the ONNX backend and by the export, which checks every candidate file with the same code
that will later run it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .onnx_format import from_metadata

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer

# Padded tokens per onnxruntime call: past ~2k the activations fall out of cache and int8 MatMuls slow
# down (measured: 16 chunks of ~180 tokens ran faster than 32 or 64); short sentences still go 32 at once.
TOKENS_PER_BATCH = 2048


def session_options():
    """Options for every onnxruntime session of the assistant (the embedder's, the answer checker's): threads
    that sleep between calls instead of spinning. A question runs the embedder, then the checker; the
    embedder's threads, spinning on after their call, took the cores the checker needed (on 2 cores, ten
    questions through `Assistant.ask`: p50 34-46 ms spinning, 22-27 ms not)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


@dataclass
class Runtime:
    """A loaded export: the session, its tokenizers and how to pool."""

    session: InferenceSession
    encoder: Tokenizer  # with the model's truncation: feeds the session
    input_names: list[str]
    max_seq_length: int
    pooling: str
    pad_id: int
    dimension: int
    tokenizer_json: str = field(repr=False)

    @cached_property
    def counter(self) -> Tokenizer:
        """The same tokenizer without truncation, to count word pieces: only chunking counts, so a
        process that only asks never parses the tokenizer a second time (~30 ms)."""
        from tokenizers import Tokenizer

        counter = Tokenizer.from_str(self.tokenizer_json)
        counter.no_truncation()
        counter.no_padding()
        return counter


def load_runtime(path: Path, expected: str) -> Runtime | None:
    """The cached export if it is readable and made from the same model files, else None."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    try:
        session = ort.InferenceSession(str(path), session_options(), providers=["CPUExecutionProvider"])
    except Exception:  # missing or damaged file: the caller rebuilds it
        return None
    meta = from_metadata(session.get_modelmeta().custom_metadata_map)
    if meta.get("fingerprint") != expected:
        return None
    encoder = Tokenizer.from_str(meta["tokenizer"])
    encoder.no_padding()
    encoder.enable_truncation(int(meta["max_seq_length"]))
    declared = {i.name for i in session.get_inputs()}
    return Runtime(session, encoder, [n for n in json.loads(meta["input_names"]) if n in declared],
                   int(meta["max_seq_length"]), meta["pooling"], int(meta["pad_id"]), int(meta["dimension"]),
                   meta["tokenizer"])


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


def token_arrays(encodings: list, pad_id: int = 0) -> dict[str, np.ndarray]:
    """A batch of tokenizer encodings as the int64 arrays a BERT-style graph takes, padded to the longest."""
    width = max(len(e.ids) for e in encodings)
    arrays = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in
              ("input_ids", "attention_mask", "token_type_ids")}
    arrays["input_ids"].fill(pad_id)
    for row, e in enumerate(encodings):
        n = len(e.ids)
        arrays["input_ids"][row, :n] = e.ids
        arrays["attention_mask"][row, :n] = e.attention_mask
        arrays["token_type_ids"][row, :n] = e.type_ids
    return arrays


def _run(runtime: Runtime, encodings: list) -> np.ndarray:
    """One onnxruntime call, then the model's pooling and L2 normalisation."""
    arrays = token_arrays(encodings, runtime.pad_id)
    hidden = runtime.session.run(None, {name: arrays[name] for name in runtime.input_names})[0]
    mask = arrays["attention_mask"][..., None].astype(np.float32)
    if runtime.pooling == "cls":
        pooled = hidden[:, 0]
    elif runtime.pooling == "max":
        pooled = np.where(mask > 0, hidden, -1e9).max(axis=1)
    else:
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
