"""One writer at a time: a file lock in the index folder, released by the OS if its holder dies."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import IndexBusyError, IndexWriteError


def _holder(owner: Path) -> str:
    try:
        info = json.loads(owner.read_text(encoding="utf-8"))
        return f"process {info['pid']}, started {info['since']}"
    except (OSError, ValueError, KeyError):
        return "another process"


@contextmanager
def writer_lock(index_dir: Path, timeout: float, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the index's update lock; wait up to ``timeout`` seconds, then refuse with who holds it.

    When the lock is taken, ``waiting`` hears so at once (who holds it, how long this one waits)."""
    owner = index_dir / ".update.owner"
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(index_dir / ".update.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if timeout <= 0:
                raise
            if waiting:
                waiting(f"Another update of the index is running ({_holder(owner)}); waiting up to {timeout:g} s…")
            lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexBusyError(
            f"another update of the index {index_dir} is running ({_holder(owner)}); "
            f"waited {timeout:g}s. Try again when it has finished."
        ) from None
    except OSError as error:  # a read-only folder, a full disk: nothing can be updated there
        raise IndexWriteError(f"the index folder {index_dir} cannot be written ({error.strerror or error}); "
                              "questions are still answered from it") from None
    try:
        owner.write_text(json.dumps({"pid": os.getpid(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}))
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()
