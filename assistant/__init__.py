"""A news assistant: index articles, answer questions with cited passages.

The names below are imported on first use, so that `assistant --help` and other light uses of the
package do not load the model, Chroma or LangChain.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

EXPORTS = {"Assistant": "core", "IndexStatus": "core", "Filters": "records", "Settings": "settings",
           "Answer": "types", "Citation": "types", "Passage": "types", "UpdateReport": "reports"}
__all__ = ["Answer", "Assistant", "Citation", "Filters", "IndexStatus", "Passage", "Settings", "UpdateReport"]

if TYPE_CHECKING:
    from .core import Assistant, IndexStatus
    from .records import Filters
    from .reports import UpdateReport
    from .settings import Settings
    from .types import Answer, Citation, Passage


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(import_module(f".{EXPORTS[name]}", __name__), name)
