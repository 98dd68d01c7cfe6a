from __future__ import annotations

import os

import pytest

from assistant.locking import IndexBusyError, writer_lock


def test_second_writer_is_refused_with_the_holder_named(tmp_path):
    with writer_lock(tmp_path, timeout=0):
        with pytest.raises(IndexBusyError, match=f"process {os.getpid()}") as error:  # noqa: SIM117
            with writer_lock(tmp_path, timeout=0):
                pass
        assert str(tmp_path) in str(error.value)
    with writer_lock(tmp_path, timeout=0):  # released after use
        assert (tmp_path / ".update.owner").exists()
    assert not (tmp_path / ".update.owner").exists()
