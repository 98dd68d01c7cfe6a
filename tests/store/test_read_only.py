"""An index on read-only media still answers, and an index that cannot be written (read-only, a full disk)
says so in one line. Each test mounts a small tmpfs of its own (these machines run tests as root)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import SEEDS, run_cli

pytestmark = pytest.mark.e2e
QUESTION = "Who confirmed the Palmyra attack?"


@pytest.fixture
def mounted(tmp_path):
    """A fresh tmpfs at ``tmp_path/mnt`` of a given size, unmounted afterwards."""
    points: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"mnt{len(points)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"this machine cannot mount a tmpfs: {done.stderr.strip()}")
        points.append(point)
        return point

    yield mount
    for point in points:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def one_line(done) -> str:
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_read_only_index_answers_and_refuses_an_update_in_one_line(tmp_path, mounted):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    index = mounted("64m") / "index"
    where = ("--articles", str(articles), "--index", str(index))
    assert run_cli(*where, "index").returncode == 0
    assert subprocess.run(["mount", "-o", "remount,ro", str(index.parent)]).returncode == 0
    asked = run_cli(*where, "ask", QUESTION)
    assert asked.returncode == 0 and "Sean Parnell" in asked.stdout, asked.stderr
    assert "read-only" in asked.stderr and "Traceback" not in asked.stderr  # it says where it answers from
    (articles / "new.md").write_text("# Flood\n\nThe river rose overnight in Varel.\n")
    assert "cannot be written (Read-only file system)" in one_line(run_cli(*where, "index"))


def test_a_full_disk_stops_an_update_with_one_line(tmp_path, mounted):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    index = mounted("300k") / "index"
    line = one_line(run_cli("--articles", str(articles), "--index", str(index), "index"))
    assert "could not write the index" in line and "MB free there" in line
