"""Sentence vectors as one compact string, since Chroma metadata holds only scalars."""

from __future__ import annotations

import base64

import numpy as np

from ..records.article import Passage


def pack_vectors(vectors: np.ndarray) -> str:
    """Rows of unit vectors as one metadata string (Chroma metadata holds only scalars): int8 with a
    float16 scale per row, base64; a row costs dim + 2 bytes, and cosine moves by about 1e-3."""
    scales = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    scales[scales == 0] = 1.0
    quantized = np.round(vectors / scales).astype(np.int8)
    return base64.b64encode(scales.astype(np.float16).tobytes() + quantized.tobytes()).decode("ascii")


def unpack_vectors(packed: str, rows: int) -> np.ndarray | None:
    """:func:`pack_vectors` reversed, as unit float32 rows; None when it does not hold ``rows`` rows."""
    data = base64.b64decode(packed)
    if rows <= 0 or (len(data) - 2 * rows) % rows:
        return None
    scales = np.frombuffer(data[:2 * rows], dtype=np.float16).astype(np.float32)[:, None]
    vectors = np.frombuffer(data[2 * rows:], dtype=np.int8).reshape(rows, -1).astype(np.float32) * scales
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


def sentence_vectors_of(passage: Passage) -> np.ndarray | None:
    """A passage's sentence vectors, decoded on first use and kept: most retrieved passages never reach
    the answerer, so the store hands them on packed."""
    if passage.sentence_vectors is None and passage.packed_vectors:
        passage.sentence_vectors = unpack_vectors(passage.packed_vectors, len(passage.sentences))
    return passage.sentence_vectors
