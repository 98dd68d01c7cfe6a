"""Sentence vectors packed for Chroma's metadata come back as they went in."""

from __future__ import annotations

import numpy as np

from assistant.store.packing import pack_vectors, unpack_vectors


def test_sentence_vectors_survive_packing_within_a_thousandth_of_cosine():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(7, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    packed = pack_vectors(vectors)
    assert isinstance(packed, str) and len(packed) < 7 * (384 + 2) * 4 / 3 + 4  # int8 rows, base64
    back = unpack_vectors(packed, 7)
    assert back.shape == (7, 384) and back.dtype == np.float32
    assert np.allclose(np.linalg.norm(back, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(back * vectors, axis=1)) > 0.999


def test_packed_vectors_of_another_shape_are_not_read():
    packed = pack_vectors(np.ones((3, 4), dtype=np.float32) / 2)
    assert unpack_vectors(packed, 5) is None and unpack_vectors(packed, 0) is None
    assert unpack_vectors(packed, 3).shape == (3, 4)
