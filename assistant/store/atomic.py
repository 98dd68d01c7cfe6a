"""Files written whole or not at all: the index's side files (manifest, server record, keyword stamp,
feeds) and the article files fetched from feeds."""

from __future__ import annotations

import os
import time
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """A crash leaves the old file or the new one, never half of one: the bytes go to a hidden file beside
    it (the loader and the watcher skip names starting with "."), reach the disk, then replace it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
