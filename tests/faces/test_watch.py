"""The folder watcher waits for half-written files to settle."""

from __future__ import annotations

import time

from assistant.faces.server.watch import wait_until_settled


def test_wait_until_settled_waits_for_quiet(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("x")
    began = time.monotonic()
    wait_until_settled({path}, settle=0.5, poll=0.05)
    assert time.monotonic() - began >= 0.5
