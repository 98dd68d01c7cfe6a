"""A serving process owns its index: it records itself in the index folder, runs the updates other
processes ask for, and (when asked) watches the articles folder. The web server enters :class:`ServedIndex`
once it listens; the page itself lives in :mod:`assistant.faces.web.app`."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack

from ...core import Assistant
from .watch import FolderWatcher

log = logging.getLogger(__name__)


class ServedIndex:
    """``with ServedIndex(bot, url, watch=True):`` while the block runs, this process owns the index."""

    def __init__(self, bot: Assistant, url: str, watch: bool = False) -> None:
        self.bot = bot
        self.url = url
        self.watch = watch
        self._owning = ExitStack()
        self._watcher: FolderWatcher | None = None
        self._feeds = FeedScheduler(bot)

    def __enter__(self) -> ServedIndex:
        # Load the model and the keyword index now, so that the first question is not the slow one.
        threading.Thread(target=self._warm_up, daemon=True).start()
        self.record = self._owning.enter_context(self.bot.owned_by_this_process(self.url))
        if self.watch:
            self._watcher = FolderWatcher(self.bot, self.bot.settings.watch_settle_seconds).start()
        self._feeds.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._feeds.stop()
        self._owning.close()
        if self._watcher:
            self._watcher.stop()

    def _warm_up(self) -> None:
        try:
            self.bot.retrieve("warm up", k=1)
        except Exception as error:  # the first question will report it properly
            log.warning("warm-up failed: %s", error)


class FeedScheduler:
    """Polls each feed when it is due (feeds added while serving included), then updates the index: a new
    entry becomes answerable without a restart. A failing feed waits longer each time and never stops
    the others or the chat."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="feeds", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.bot.settings.feed_timeout * 2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if any(feed.due(time.time()) for feed in self.bot.feeds.list()):
                    for report in self.bot.feeds.poll(only_due=True):
                        (log.warning if report.error else log.info)("feed %s", report.summary())
            except Exception:
                log.exception("polling the feeds failed; trying again later")
            self._stop.wait(self.bot.settings.feed_check_seconds)


def update_events(bot: Assistant, full: bool = False) -> Iterator[dict]:
    """An update run for another process (``assistant index`` asks through the API): progress events
    ``{"done", "total", "message"}``, then ``{"report": …}`` or ``{"error": …}``."""
    log.info("update requested through the API (full=%s)", full)
    events: queue.Queue = queue.Queue()
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["report"] = bot.update_index(
                full=bool(full), progress=lambda d, t, m: events.put({"done": d, "total": t, "message": m}))
        except Exception as error:
            log.exception("update through the API failed")
            outcome["error"] = str(error)
        events.put(None)

    threading.Thread(target=work, daemon=True).start()
    while (event := events.get()) is not None:
        yield event
    if "error" in outcome:
        yield {"error": outcome["error"]}
        return
    report = outcome["report"]
    log.info("update through the API: %s", report.summary())
    yield {"report": report.to_dict()}
