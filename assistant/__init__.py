"""A news assistant: index articles, answer questions with cited passages.

The names below are imported on first use, so that `assistant --help` and other light uses of the
package do not load the model, Chroma or LangChain.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

EXPORTS = {"Assistant": "core", "IndexStatus": "core", "Filters": "records.filters", "Settings": "settings",
           "Answer": "records.answer", "Citation": "records.answer", "Passage": "records.article",
           "UpdateReport": "records.reports", "AssistantError": "errors", "Status": "records.events",
           "TextDelta": "records.events", "Done": "records.events"}
__all__ = ["Answer", "Assistant", "AssistantError", "Citation", "Done", "Filters", "IndexStatus", "Passage",
           "Settings", "Status", "TextDelta", "UpdateReport"]

if TYPE_CHECKING:
    from .core import Assistant, IndexStatus
    from .errors import AssistantError
    from .records.answer import Answer, Citation
    from .records.article import Passage
    from .records.events import Done, Status, TextDelta
    from .records.filters import Filters
    from .records.reports import UpdateReport
    from .settings import Settings


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(import_module(f".{EXPORTS[name]}", __name__), name)
