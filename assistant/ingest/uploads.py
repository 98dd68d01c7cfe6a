"""Adding an article file to the articles folder: the checks an upload from the web must pass."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import ArticleError, UploadError
from .load import article_files, articles_from, supported_extensions

UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


@dataclass
class StoredFile:
    name: str  # the name it was saved under, relative to the articles folder
    message: str
    changed: bool  # False when an identical file was already there


def _same_bytes(folder: Path, data: bytes, digest: bytes) -> Path | None:
    """An article file already holding exactly these bytes (sizes are compared first, so this is cheap)."""
    for path in article_files(folder):
        if path.stat().st_size == len(data) and hashlib.sha256(path.read_bytes()).digest() == digest:
            return path
    return None


def safe_name(original: str) -> str:
    """Reduce a client-supplied name to a plain base name: no folders, no '..', nothing hidden."""
    base = PureWindowsPath(PurePosixPath(original.replace("\x00", "")).name).name
    base = UNSAFE.sub("_", unicodedata.normalize("NFC", base)).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem.lstrip(".-_ ")[:100] or "article"
    return f"{stem}.{ext.lower()}" if ext else stem


def store_upload(folder: Path, original_name: str, data: bytes, max_bytes: int) -> StoredFile:
    """Write ``data`` into ``folder`` under a safe name; never overwrite a different article silently."""
    name = safe_name(original_name)
    suffix = Path(name).suffix.lower()
    if suffix not in supported_extensions():
        raise UploadError(f"{original_name}: files of type '{suffix or 'none'}' are not articles "
                          f"(supported: {', '.join(supported_extensions())})")
    if len(data) > max_bytes:
        raise UploadError(f"{original_name}: {len(data):,} bytes is over the upload limit of {max_bytes:,}")
    if not data:
        raise UploadError(f"{original_name}: the file is empty")
    try:  # read as the index would read it, before anything is written: a broken file is never saved
        articles_from(data, Path(name), name)
    except ArticleError as error:
        raise UploadError(f"{original_name} {error}; it was not saved") from None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    digest = hashlib.sha256(data).digest()
    copy = _same_bytes(folder, data, digest)
    if copy is not None and copy != target:  # indexing both would keep one and drop the other, by name order
        raise UploadError(f"{original_name}: the same article is already in the folder as "
                          f"{copy.relative_to(folder).as_posix()}; it was not saved again")
    counter = 1
    while target.exists():
        if hashlib.sha256(target.read_bytes()).digest() == digest:
            return StoredFile(name, f"{original_name}: an identical file {name} is already there, so nothing was "
                                    "saved", False)
        counter += 1
        target = folder / f"{Path(name).stem}-{counter}{suffix}"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, stat.S_IMODE(folder.stat().st_mode) & 0o666)  # readable like the folder, not mkstemp's 0600
    os.replace(tmp, target)
    note = "" if target.name == name else f" ({name} already holds another article, so it was not overwritten)"
    return StoredFile(target.name, f"{original_name}: saved as {target.name}{note}", True)
