"""What every reader shares: the error type, the per-file context, text decoding and normalisation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ArticleError
from ...records.article import Article
from ...records.reports import Problem

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})  # controls, lone surrogates, private use, unassigned
KEPT_CONTROLS = frozenset("\n\t")
FIELD_LIMIT = 500  # characters of a title, author or source kept: metadata, not text


@dataclass
class FileContext:
    """One file being read: readers report warnings and skipped records here instead of raising."""

    path: Path
    article_id: str  # the file's path relative to the articles folder
    problems: list[Problem] = field(default_factory=list)

    def warn(self, reason: str) -> None:
        """Something the user should know, while the article is still used (``skipped=False``)."""
        self.problems.append(Problem(self.article_id, f"{self.article_id} {reason}", skipped=False))

    def skip(self, reason: str) -> None:
        """Part of the file (a record, a line) was left out; the rest was used."""
        self.problems.append(Problem(self.article_id, f"{self.article_id} {reason}", skipped=True))

    def date(self, value: object, where: str = "") -> str | None:
        """An ISO date from whatever the source gave; an unreadable one is a warning, not a failure."""
        from ...records.dates import date_or_warning

        date, warning = date_or_warning(value)
        if warning:
            self.warn(f"{where} {warning}" if where else warning)
        return date

    def article(self, text: str, title: str | None, date: object, **fields: Any) -> Article:
        """The file's one article; the title falls back to the file name."""
        return Article(id=self.article_id, title=title or title_from_name(self.path), text=text,
                       date=self.date(date), **fields)


Reader = Callable[[bytes, FileContext], list[Article]]


NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13)))
ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # category Cc, but for tab and line feed
NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _kept_or_dropped(run: re.Match) -> str:
    return "".join(ch for ch in run.group() if unicodedata.category(ch) not in DROPPED_CATEGORIES)


def normalize_text(raw: str) -> str:
    """NFC, paragraphs separated by one blank line, single line breaks read as spaces.

    Controls, lone surrogates (a JSON ``"\\ud800"`` escape makes one) and unassigned code points are
    dropped: they cannot be stored as UTF-8 and mean nothing to a reader.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = ASCII_CONTROLS.sub("", text)  # ASCII is categorised by a pattern; the rest a character at a time
    if not text.isascii():
        text = NON_ASCII.sub(_kept_or_dropped, text)
    text = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    paragraphs = (SOFT_BREAK.sub(" ", p) for p in PARAGRAPH_BREAK.split(text.strip()))
    return "\n\n".join(SPACES.sub(" ", p).strip() for p in paragraphs if p.strip())


def clean_field(value: object, limit: int = FIELD_LIMIT) -> str | None:
    """A metadata value as one short line of text, or None; only scalars are read (never containers)."""
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(normalize_text(str(value)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def title_from_name(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16 text) or many control bytes: an image or archive, not an article."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, NOT_CONTROL_BYTES))  # what is left once every other byte is deleted
    return controls > max(8, len(head) // 20)


def decode(data: bytes, context: FileContext) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is read as cp1252, with a warning."""
    if looks_binary(data):
        raise ArticleError("looks like a binary file, not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ArticleError(f"starts like UTF-16 text but is not valid UTF-16 ({error.reason})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = f"{error.reason} at byte {error.start}"
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "Latin-1"
    context.warn(f"is not valid UTF-8 ({where}); it was read as {encoding}, so check its accented letters")
    return text
