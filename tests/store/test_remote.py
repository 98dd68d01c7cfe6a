from __future__ import annotations

import os

from assistant.ingest.load import Duplicate
from assistant.records.reports import Problem, UpdateReport
from assistant.store.owner import ServerRecord, owner_of


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
    report = UpdateReport(added=2, problems=[Problem("bad.json", "bad.json is not valid JSON"),
                                             Problem("old.txt", "old.txt decoded as cp1252", skipped=False)])
    assert UpdateReport.from_dict(report.to_dict()) == report


def test_report_from_an_older_server_reads_skipped():
    older = {"added": 1, "skipped": [{"path": "bad.json", "reason": "not JSON", "skipped": True}]}
    assert UpdateReport.from_dict(older).problems == [Problem("bad.json", "not JSON")]


def test_report_with_a_duplicate_is_read_back():
    sent = UpdateReport(problems=[Duplicate("b.md", "b.md is a duplicate of a.md", original="a.md")]).to_dict()
    assert UpdateReport.from_dict(sent).problems == [Problem("b.md", "b.md is a duplicate of a.md")]
