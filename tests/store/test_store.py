"""The Chroma adapter: opening the store skips the ``overrides`` library's import-time signature checks
while chromadb loads (a cold ``assistant ask`` spent ~0.4 s in them), and nothing else changes: every other
test that writes or reads the store runs through it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_opening_the_store_marks_overrides_and_puts_the_decorator_back(tmp_path: Path) -> None:
    """In a fresh process, as a user's command opens it: the mark EnforceOverrides reads is there, the real
    decorator is back afterwards, and the store works."""
    settings = f"Settings(articles_dir={str(tmp_path)!r}, index_dir={str(tmp_path / 'index')!r})"
    probe = ("import importlib, overrides; module = importlib.import_module('overrides.overrides'); "
             "real = (overrides.override, overrides.overrides, module.override, module.overrides); "
             "from assistant.settings import Settings; from assistant.store.chroma import ChromaStore; "
             f"store = ChromaStore({settings}); print(store.count()); "
             "from chromadb.api.rust import RustBindingsAPI as api; print(api.start.__override__); "
             "print(api.heartbeat.__doc__ is None); "  # the checks, which copy a base's docstring, did not run
             "print(real == (overrides.override, overrides.overrides, module.override, module.overrides))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True", "True", "True"]

