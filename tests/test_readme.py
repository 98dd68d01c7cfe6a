"""The README's Python examples run as written, in a fresh folder holding a copy of the seeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

RUN = ("Python", "From Python")  # examples that need a running server: test_web.py, test_endpoints_e2e.py


def blocks(language: str = "python") -> dict[str, str]:
    """The first block of ``language`` under each heading, by heading."""
    found: dict[str, str] = {}
    heading, block = "", None
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if block is not None:
            if line.strip() == "```":
                found.setdefault(heading, "\n".join(block) + "\n")
                block = None
            else:
                block.append(line)
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.strip() == f"```{language}":
            block = []
    return found


def examples() -> dict[str, str]:
    found = blocks()
    assert set(RUN) <= set(found), sorted(found)
    return {heading: found[heading] for heading in RUN}


@pytest.mark.e2e
def test_readme_examples_run_as_written_in_order(tmp_path: Path):
    """In one folder, as a reader would: the first example indexes the seeds, the later ones use that index."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    for heading, code in examples().items():
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "ASSISTANT_LLM_TIMEOUT": "5"})
        assert done.returncode == 0, f"{heading}: {done.stderr[-3000:]}"
        assert "Sean Parnell" in done.stdout, f"{heading}: {done.stdout[-2000:]}"
