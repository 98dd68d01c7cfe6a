"""One writer at a time: a file lock in the index folder, released by the OS if its holder dies."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class IndexBusyError(RuntimeError):
    """Another process is updating this index."""


def _holder(owner: Path) -> str:
    try:
        info = json.loads(owner.read_text(encoding="utf-8"))
        return f"process {info['pid']}, started {info['since']}"
    except (OSError, ValueError, KeyError):
        return "another process"


@contextmanager
def writer_lock(index_dir: Path, timeout: float) -> Iterator[None]:
    """Hold the index's update lock; wait up to ``timeout`` seconds, then refuse with who holds it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / ".update.lock"))
    owner = index_dir / ".update.owner"
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexBusyError(
            f"another update of the index {index_dir} is running ({_holder(owner)}); "
            f"waited {timeout:g}s. Try again when it has finished."
        ) from None
    try:
        owner.write_text(json.dumps({"pid": os.getpid(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}))
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()
