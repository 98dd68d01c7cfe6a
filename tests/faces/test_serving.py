"""While a server is inside ServedIndex, its record says it owns the index; leaving removes the record."""

from __future__ import annotations

import os
import threading
from types import SimpleNamespace

from assistant.core import Assistant
from assistant.faces.server.served_index import ServedIndex
from assistant.store.owner import ServerRecord


class StandInFeeds:
    """One feed, always due; each poll is counted and the first one fails."""

    def __init__(self) -> None:
        self.polls = 0
        self.polled_again = threading.Event()

    def list(self):
        return [SimpleNamespace(due=lambda now: True)]

    def poll(self, only_due=False):
        assert only_due
        self.polls += 1
        if self.polls == 1:
            raise OSError("disk full")
        self.polled_again.set()
        return [SimpleNamespace(error=None, summary=lambda: "times: 1 new")]


class StandInAssistant:
    def __init__(self, tmp_path) -> None:
        self.settings = SimpleNamespace(index_dir=tmp_path / "index", articles_dir=tmp_path / "articles",
                                        watch_settle_seconds=0.1, feed_check_seconds=0.05, feed_timeout=1.0)
        self.warmed = threading.Event()
        self.feeds = StandInFeeds()

    owned_by_this_process = Assistant.owned_by_this_process  # the real record, written and removed
    refuse_if_owned = Assistant.refuse_if_owned

    def retrieve(self, query, k=None):
        self.warmed.set()
        return []


def test_served_index_records_this_process_warms_up_and_cleans_up(tmp_path):
    bot = StandInAssistant(tmp_path)
    with ServedIndex(bot, "http://127.0.0.1:7860/", watch=True) as served:
        record = ServerRecord.read(bot.settings.index_dir)
        assert record == served.record and record.pid == os.getpid() and record.url == "http://127.0.0.1:7860"
        assert bot.warmed.wait(5)  # the model and keyword index load before the first question
        assert bot.settings.articles_dir.is_dir()  # the watcher made the folder it watches
    assert ServerRecord.read(bot.settings.index_dir) is None


def test_a_newer_servers_record_is_left_alone(tmp_path):
    bot = StandInAssistant(tmp_path)
    with ServedIndex(bot, "http://127.0.0.1:7860"):
        ServerRecord(os.getpid() + 1, "http://127.0.0.1:7861", "later").write(bot.settings.index_dir)
    assert ServerRecord.read(bot.settings.index_dir).url == "http://127.0.0.1:7861"


def test_due_feeds_are_polled_while_serving_and_a_failed_poll_is_tried_again(tmp_path):
    bot = StandInAssistant(tmp_path)
    with ServedIndex(bot, "http://127.0.0.1:7860"):
        assert bot.feeds.polled_again.wait(5)
    polls = bot.feeds.polls
    assert polls >= 2
    threading.Event().wait(0.2)
    assert bot.feeds.polls == polls  # stopped with the server
