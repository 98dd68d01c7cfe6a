from __future__ import annotations

import os
import time

from assistant.remote import ServerRecord, owner_of, report_from_dict, wait_until_settled
from assistant.types import UpdateReport


def test_stale_record_is_removed_with_a_note(tmp_path):
    ServerRecord(2**22 + 12345, "http://127.0.0.1:9", "then").write(tmp_path)  # no such process
    owner, note = owner_of(tmp_path)
    assert owner is None and "stale server record" in note and "4206649" in note
    assert ServerRecord.read(tmp_path) is None


def test_own_record_means_update_here(tmp_path):
    ServerRecord(os.getpid(), "http://127.0.0.1:9", "now").write(tmp_path)
    assert owner_of(tmp_path) == (None, "")
    assert ServerRecord.read(tmp_path) is not None


def test_report_round_trip():
    report = UpdateReport(added=2, skipped=[])
    assert report_from_dict(report.to_dict()) == report


def test_wait_until_settled_waits_for_quiet(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("x")
    began = time.monotonic()
    wait_until_settled({path}, settle=0.5, poll=0.05)
    assert time.monotonic() - began >= 0.5
