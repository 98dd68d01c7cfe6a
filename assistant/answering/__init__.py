"""The extractive answerer and what it reads questions and sentences with."""

from .extractive import ABSTAIN_TEXT, ExtractiveAnswerer, with_marker

__all__ = ["ABSTAIN_TEXT", "ExtractiveAnswerer", "with_marker"]
