"""A news assistant: index articles, answer questions with cited passages."""

from .core import Assistant, IndexStatus
from .records import Filters
from .settings import Settings
from .types import Answer, Citation, Passage, UpdateReport

__all__ = ["Answer", "Assistant", "Citation", "Filters", "IndexStatus", "Passage", "Settings", "UpdateReport"]
