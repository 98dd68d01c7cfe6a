from __future__ import annotations

import os
import threading

import pytest

from assistant.errors import IndexBusyError
from assistant.store.locking import writer_lock


def test_second_writer_is_refused_with_the_holder_named(tmp_path):
    with writer_lock(tmp_path, timeout=0):
        with pytest.raises(IndexBusyError, match=f"process {os.getpid()}") as error:  # noqa: SIM117
            with writer_lock(tmp_path, timeout=0):
                pass
        assert str(tmp_path) in str(error.value)
    with writer_lock(tmp_path, timeout=0):  # released after use
        assert (tmp_path / ".update.owner").exists()
    assert not (tmp_path / ".update.owner").exists()


def test_a_waiting_writer_says_so_at_once_then_runs(tmp_path):
    held, release = threading.Event(), threading.Event()

    def first() -> None:
        with writer_lock(tmp_path, timeout=0):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=first)
    holder.start()
    held.wait(10)
    messages: list[str] = []
    threading.Timer(0.5, release.set).start()
    with writer_lock(tmp_path, timeout=30, waiting=messages.append):
        assert release.is_set()  # it waited for the first writer
    holder.join()
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"Another update of the index is running (process {os.getpid()}, started ")
    assert messages[0].endswith("; waiting up to 30 s…")


def test_a_free_lock_is_taken_without_a_word(tmp_path):
    messages: list[str] = []
    with writer_lock(tmp_path, timeout=30, waiting=messages.append):
        pass
    assert messages == []
