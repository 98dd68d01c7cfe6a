"""Cold start, as a user meets it: ``assistant --help`` and ``assistant ask`` on the seed index, each a
fresh process, timed from process start to the printed answer.

The seed index is built once (``assistant index``, which also caches the ONNX export), then each command
runs ``ROUNDS`` times; the median and the best are reported. ``import chromadb`` alone is timed the same
way, as the floor any command that opens the store pays, and beside it the store opened as the assistant
opens it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, out_path, write_json

ROUNDS = 7
QUESTION = "Who confirmed the Palmyra attack?"
# chromadb imported and its client opened as the assistant does (store.py skips overrides' signature checks)
OPEN_STORE = ("from pathlib import Path; from assistant.settings import Settings; from assistant.store.chroma import "
              "ChromaStore; ChromaStore(Settings(index_dir=Path({index!r}))).count()")


def wall(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - began


def summary(command: list[str]) -> dict:
    seconds = [wall(command) for _ in range(ROUNDS)]
    return {"median_s": round(statistics.median(seconds), 2), "best_s": round(min(seconds), 2), "n": ROUNDS}


def main() -> None:
    cli = str(Path(sys.executable).with_name("assistant"))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as work:
        where = ["--articles", str(ROOT / "seeds"), "--index", str(Path(work) / "index")]
        subprocess.run([cli, *where, "index"], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        answer = subprocess.run([cli, *where, "ask", QUESTION], check=True, capture_output=True, text=True,
                                cwd=ROOT).stdout
        results = {"help": summary([cli, "--help"]), "ask": summary([cli, *where, "ask", QUESTION]),
                   "import_chromadb": summary([sys.executable, "-c", "import chromadb"]),
                   "open_store": summary([sys.executable, "-c", OPEN_STORE.format(index=str(Path(work) / "index"))]),
                   "python_alone": summary([sys.executable, "-c", "pass"]),
                   "question": QUESTION, "answer_starts": answer.strip().splitlines()[0][:120]}
    write_json(out_path(sys.argv, "bench_startup.json"), results)
    print(results)


if __name__ == "__main__":
    main()
