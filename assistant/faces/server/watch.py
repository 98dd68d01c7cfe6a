"""Watch the articles folder and update the index once writes settle (``assistant serve --watch``)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from watchfiles import watch

from ...errors import BadValueError

log = logging.getLogger(__name__)


class FolderWatcher:
    """A daemon thread: file events (inotify through watchfiles, not polling) -> settle -> update."""

    def __init__(self, bot, settle_seconds: float = 1.0) -> None:
        if settle_seconds < 0:
            raise BadValueError(f"settle_seconds={settle_seconds} must not be negative")
        self.bot = bot
        self.settle_seconds = settle_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="article-watcher", daemon=True)

    def start(self) -> FolderWatcher:
        self.bot.settings.articles_dir.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        folder = self.bot.settings.articles_dir
        log.info("watching %s for new, changed and deleted articles", folder)
        for changes in watch(folder, stop_event=self._stop, debounce=800, step=100, recursive=True,
                             raise_interrupt=False):
            paths = {Path(p) for _, p in changes}
            if all(p.name.startswith(".") for p in paths):
                continue  # temp files of uploads and editors; their final rename comes as its own event
            wait_until_settled(paths, self.settle_seconds)
            try:
                report = self.bot.update_index()
                log.info("watched folder changed: %s", report.summary())
            except Exception:
                log.exception("update after a change in %s failed; the previous index is kept", folder)


def wait_until_settled(paths: set[Path], settle: float, poll: float = 0.25, limit: float = 120.0) -> None:
    """Return once none of ``paths`` has changed size or time for ``settle`` seconds (half-written files)."""
    def snapshot() -> dict[Path, tuple[int, int] | None]:
        out: dict[Path, tuple[int, int] | None] = {}
        for path in paths:
            try:
                stat = path.stat()
                out[path] = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                out[path] = None
        return out

    deadline = time.monotonic() + limit
    last, quiet_since = snapshot(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(poll)
        now = snapshot()
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= settle:
            return
