"""One reader per article format; ``assistant.ingest.load`` picks the reader by file extension."""

from ...errors import ArticleError
from .base import FileContext, Reader, normalize_text
from .feed import read_json, read_jsonl
from .html import read_html
from .pdf import read_pdf
from .text import read_text

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".pdf": read_pdf,
}

__all__ = ["READERS", "ArticleError", "FileContext", "Reader", "normalize_text"]
