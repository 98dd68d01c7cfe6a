"""Run every benchmark, one process at a time, and regenerate benchmarks/RESULTS.md.

    python benchmarks/run_all.py            # the full run (~30 min on 2 cores)
    python benchmarks/run_all.py --quick    # subsampled, for development; writes /tmp/RESULTS-quick.md
    python benchmarks/run_all.py --only quality,indexing
    python benchmarks/run_all.py --render   # RESULTS.md again from results.json, nothing re-run
    python benchmarks/run_all.py --only million   # a million passages (~2 h): never part of the full run

Each benchmark runs in its own process so that one's memory and threads do not colour another's.
Raw numbers go to benchmarks/results.json beside the Markdown.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {"quality": ["bench_quality.py"], "answers": ["bench_answers.py"], "indexing": ["bench_indexing.py"],
           "latency": ["bench_latency.py"], "startup": ["bench_startup.py"], "api_load": ["bench_api_load.py"],
           "time_words": ["bench_time_words.py"],
           "million": ["bench_latency.py", "--sizes", "1000,10000,100000,1000000"]}
OPT_IN = {"million"}  # about 2 h on 2 cores: only when named, e.g. --only million


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = {name: metadata.version(name) for name in
                ("torch", "onnxruntime", "sentence-transformers", "transformers", "chromadb", "tantivy",
                 "langchain-core", "langchain-text-splitters")}
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "versions": versions,
            "load_average_at_start": round(os.getloadavg()[0], 2)}


def main() -> None:
    if "--render" in sys.argv:  # Markdown again from the saved numbers, without running anything
        sys.path.insert(0, str(HERE))
        from report import render

        (HERE / "RESULTS.md").write_text(render(json.loads((HERE / "results.json").read_text())), encoding="utf-8")
        return
    quick = "--quick" in sys.argv
    only = set(sys.argv[sys.argv.index("--only") + 1].split(",")) if "--only" in sys.argv else set(BENCHES) - OPT_IN
    unknown = only - set(BENCHES)
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {sorted(unknown)}; choose from {sorted(BENCHES)}")
    env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                        "TOKENIZERS_PARALLELISM": "false"}
    raw_path = HERE / "results.json"
    previous = json.loads(raw_path.read_text()) if raw_path.exists() and not quick else {}
    results: dict = {"machine": machine(), "quick": quick, "seconds": {}, "runs": {}}
    began = time.perf_counter()
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        for name, (script, *arguments) in BENCHES.items():
            if name not in only:
                if name in previous:  # keep the last full numbers for benchmarks not re-run
                    results[name] = previous[name]
                    results["seconds"][name] = previous.get("seconds", {}).get(name)
                    results["runs"][name] = previous.get("runs", {}).get(name, {})
                continue
            out = Path(work, f"{name}.json")
            command = [sys.executable, str(HERE / script), *arguments, "--out", str(out)] + ["--quick"] * quick
            print(f"== {name}: {' '.join(command[1:])}", flush=True)
            started = time.perf_counter()
            done = subprocess.run(command, env=env, cwd=HERE.parent)
            if done.returncode != 0:  # the benchmarks that finished are still written, and this one says so
                print(f"== {name} failed (exit {done.returncode}); its last numbers are kept", flush=True)
                if name in previous:
                    results[name] = previous[name]
                    results["runs"][name] = previous.get("runs", {}).get(name, {})
                failed.append(name)
                continue
            results["seconds"][name] = round(time.perf_counter() - started, 1)
            results["runs"][name] = {"finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                                     "load_average": round(os.getloadavg()[0], 2)}
            results[name] = json.loads(out.read_text())
    results["total_seconds"] = round(time.perf_counter() - began, 1)
    results["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
    results["finished"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["command"] = "python benchmarks/run_all.py" + (" --quick" if quick else "") + (
        f" --only {','.join(sorted(only))}" if only != set(BENCHES) - OPT_IN else "")

    if not quick:  # the numbers first: a report that cannot be rendered loses nothing measured
        raw_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    sys.path.insert(0, str(HERE))
    from report import render

    markdown = render(results)
    target = Path(tempfile.gettempdir()) / "RESULTS-quick.md" if quick else HERE / "RESULTS.md"
    target.write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"written to {target} in {results['total_seconds']:.0f} s")
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
