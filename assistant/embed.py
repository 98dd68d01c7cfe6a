"""Temporary: the embedders moved to :mod:`assistant.embedders`; removed once core/answer import from there."""

from .embedders import SentenceEmbedder, make_embedder

__all__ = ["SentenceEmbedder", "make_embedder"]
