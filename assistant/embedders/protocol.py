"""What the rest of the assistant needs from an embedder, whichever backend runs the model.

Chunking counts tokens against ``max_tokens``, the store sizes itself by ``dimension``, the index
records ``model_name`` and ``backend``, reports read ``texts_embedded``; retrieval and answering only
call ``encode``. ``embed_documents``/``embed_query`` keep every embedder usable as a LangChain
``Embeddings``. Typing against this protocol, not a class, lets a test or a new backend stand in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Unit-length vectors (cosine similarity is a dot product) and the model's own token counts."""

    model_name: str
    backend: str  # "torch" or "onnx"; an ONNX embedder that fell back to PyTorch says "torch"
    texts_embedded: int

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads; longer texts are truncated."""
        ...

    @property
    def dimension(self) -> int: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, without special tokens and without truncation."""
        ...

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """float32 array of shape ``(len(texts), dimension)``, one unit vector per text."""
        ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...
