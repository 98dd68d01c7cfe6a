"""PDF articles through pypdf: text page by page, with where each page begins so a quote gets its page."""

from __future__ import annotations

import io
import re
import time
from typing import Any

from ...errors import ArticleError
from ...records.article import Article
from .base import FileContext, clean_field, normalize_text

HYPHENATED = re.compile(r"(?<=[a-z])-\n(?=[a-z])")  # "govern-\nment" across a line end
SENTENCE_END = re.compile(r"[.!?:][\"'’”)]*$")
GENERATED_TITLE = re.compile(r"^(?:untitled|microsoft \w+ - |document\d*$)", re.IGNORECASE)
# A decompression bomb (a small file whose streams decode to gigabytes) stops at these: no page's text
# comes near either, and one such file never holds up an update for long.
STREAM_BYTES = 8 * 1024 * 1024  # the most one stream may decode to (pypdf's own cap is 75 MB)
READ_SECONDS = 30.0  # the most one PDF's pages may take to read
DECODE_LIMITS = ("maximum_declared_stream_length", "array_based_stream_maximum_output_length",
                 "jbig2_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
                 "zlib_maximum_output_length", "brotli_maximum_output_length", "image_maximum_buffer_size")



def _open(data: bytes):
    """A pypdf reader, decrypted when it only has an owner password; ArticleError otherwise."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as error:  # a damaged file can fail anywhere in the parser
        raise ArticleError(f"is not a readable PDF ({type(error).__name__}: {error})") from None
    if encrypted:
        try:
            opened = reader.decrypt("")  # many PDFs are "encrypted" with an empty password
        except DependencyError:
            raise ArticleError("is encrypted with AES; reading it needs the 'cryptography' package") from None
        except (FileNotDecryptedError, ValueError, KeyError, TypeError, NotImplementedError) as error:
            raise ArticleError(f"is encrypted in a way that cannot be opened ({error})") from None
        if not opened:
            raise ArticleError("is encrypted with a password; save an unencrypted copy to index it")
    return reader


def _metadata(reader) -> dict:
    try:
        return dict(reader.metadata or {})
    except Exception:  # damaged metadata should not cost the text
        return {}


def _paragraphs(raw: str) -> str:
    """pypdf gives one line per printed line; a short line after a sentence end, or a short line
    without punctuation before a capital (a heading), ends a paragraph."""
    lines = [line.rstrip() for line in HYPHENATED.sub("", raw).split("\n")]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line, following in zip(lines, [*lines[1:], ""]):
        out.append(line)
        short = len(line) < 0.8 * width
        heading = len(line) < 0.6 * width and not SENTENCE_END.search(line) and following[:1].isupper()
        out.append("\n\n" if (short and SENTENCE_END.search(line)) or heading else "\n")
    return "".join(out)


def _page_texts(reader, context: FileContext) -> list[str]:
    try:
        pages = list(reader.pages)
    except Exception as error:
        raise ArticleError(f"is not a readable PDF: its page list is damaged ({type(error).__name__})") from None
    texts: list[str] = []
    deadline = time.monotonic() + READ_SECONDS
    for number, page in enumerate(pages, start=1):
        if time.monotonic() > deadline:
            raise ArticleError(f"took more than {READ_SECONDS:g} s to read ({number - 1} of {len(pages)} pages); "
                               "it was left out")
        try:
            raw = page.extract_text() or ""
        except Exception as error:  # one damaged page should not cost the others
            context.warn(f"page {number} could not be read ({type(error).__name__}); the other pages were used")
            raw = ""
        texts.append(normalize_text(_paragraphs(raw)))
    return texts


def read_pdf(data: bytes, context: FileContext) -> list[Article]:
    """One article; ``page_starts[i]`` is where page ``i + 1`` begins in the text (empty pages too)."""
    from pypdf import apply_configuration

    limits: dict[str, Any] = dict.fromkeys(DECODE_LIMITS, STREAM_BYTES)
    with apply_configuration(**limits):  # for this read only
        reader = _open(data)
        texts = _page_texts(reader, context)
    parts: list[str] = []
    page_starts: list[int] = []
    offset = 0
    for text in texts:
        if parts and text:
            offset += 2  # the blank line between two pages' text
        page_starts.append(offset)
        if text:
            parts.append(text)
            offset += len(text)
    text = "\n\n".join(parts)
    if not text:
        raise ArticleError("has no extractable text (a scanned PDF needs OCR, which is not supported)")
    meta = _metadata(reader)
    title = clean_field(meta.get("/Title"))
    if title and GENERATED_TITLE.match(title):
        title = None
    return [
        context.article(
            text,
            title,
            meta.get("/CreationDate"),
            source=clean_field(meta.get("/Publisher") or meta.get("/Source")),
            author=clean_field(meta.get("/Author")),
            page_starts=page_starts,
        )
    ]
