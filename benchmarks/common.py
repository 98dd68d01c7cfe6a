"""Shared by the benchmarks: where the data is, synthetic articles, timers and memory readings."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.embedders import OnnxEmbedder, models_dir  # noqa: E402
from assistant.embedders.onnx_format import cache_file  # noqa: E402
from assistant.ingest.chunk import split_sentences  # noqa: E402
from assistant.ingest.load import normalize_text  # noqa: E402
from assistant.settings import DEFAULT_MODEL, Settings  # noqa: E402

SEED_ARTICLE = ROOT / "seeds" / "coalition-strikes-syria.txt"


def bench_dir() -> Path:
    """``$ASSISTANT_BENCH_DIR``, else ``bench/`` beside the repository (``../shared/bench`` in CI)."""
    override = os.environ.get("ASSISTANT_BENCH_DIR")
    candidates = [Path(override)] if override else [ROOT.parent / "shared" / "bench", ROOT.parent / "bench"]
    for candidate in candidates:
        if (candidate / "squad-dev" / "questions.jsonl").exists():
            return candidate
    raise SystemExit(f"benchmark data not found in {', '.join(map(str, candidates))}; set ASSISTANT_BENCH_DIR")


def squad_dir() -> Path:
    return bench_dir() / "squad-dev"


def peak_rss_mb() -> float:
    """Peak resident memory of this process: VmHWM, because ru_maxrss survives exec and would
    report the parent's peak for a child started by subprocess."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(action: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def percentiles(seconds: list[float]) -> dict:
    """p50/p95 in milliseconds (nearest rank), the same definition as ``assistant.answering.evaluate``."""
    from assistant.answering.evaluate import percentile

    ms = [s * 1000 for s in seconds]
    return {"p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1), "n": len(ms)}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def sentence_pool() -> list[str]:
    """Real English sentences (the two SQuAD articles and the seed), to build synthetic news from."""
    sources = [*sorted((squad_dir() / "articles").glob("*.md")), SEED_ARTICLE]
    pool: list[str] = []
    for path in sources:
        text = normalize_text(path.read_text(encoding="utf-8").split("\n", 1)[-1])
        pool += [text[s.start:s.end] for s in split_sentences(text) if 40 <= s.end - s.start <= 400]
    return pool


def synthetic_article(pool: list[str], rng: random.Random, number: int, paragraphs: tuple[int, int],
                      sentences: tuple[int, int] = (2, 5), day: date | None = None) -> str:
    """A Markdown article of shuffled real sentences; the number makes every title unique. With ``day``, it is
    dated (front matter) and published by one of OUTLETS."""
    body = []
    for _ in range(rng.randint(*paragraphs)):
        body.append(" ".join(rng.sample(pool, rng.randint(*sentences))))
    title = f"Report {number}: {' '.join(body[0].split()[:6])}"
    if day is None:
        return f"# {title}\n\n" + "\n\n".join(body) + "\n"
    head = f"---\ntitle: {json.dumps(title)}\ndate: {day.isoformat()}\nsource: {OUTLETS[number % len(OUTLETS)]}\n---\n"
    return head + "\n\n".join(body) + "\n"


OUTLETS = ("Northern Wire", "Harbour Post", "Valley Courier", "Coastline Daily", "Metro Ledger")
FIRST_DAY = date(2024, 1, 1)  # dated synthetic articles: ARTICLES_PER_DAY a day from this day on


def day_of_article(number: int, per_day: int) -> date:
    return FIRST_DAY + timedelta(days=number // per_day)


def write_articles(folder: Path, count: int, seed: int, paragraphs: tuple[int, int], first: int = 0,
                   per_day: int | None = None) -> list[Path]:
    """``count`` synthetic articles; with ``per_day``, dated that many a day from FIRST_DAY (a briefing's news)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng, pool = random.Random(seed), sentence_pool()
    paths = []
    for number in range(first, first + count):
        path = folder / f"report-{number:06d}.md"
        day = day_of_article(number, per_day) if per_day else None
        path.write_text(synthetic_article(pool, rng, number, paragraphs, day=day), encoding="utf-8")
        paths.append(path)
    return paths


def shared_onnx_model(work: Path) -> Path:
    """Export the int8 model once per benchmark run; every index below gets a copy (it is ~60 MB)."""
    embedder = OnnxEmbedder(DEFAULT_MODEL, cache_dir=work / "onnx-cache")
    embedder.encode(["warm up"])
    return embedder.path


def seed_model_cache(index_dir: Path, model_file: Path) -> None:
    """Put the exported model where an index expects it, so the benchmark times use, not export."""
    target = cache_file(DEFAULT_MODEL, models_dir(Settings(index_dir=index_dir)))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        try:
            os.link(model_file, target)
        except OSError:
            shutil.copy2(model_file, target)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def out_path(argv: list[str], default: str) -> Path:
    """``--out FILE`` from the command line, else a file in the system temp folder."""
    if "--out" in argv:
        return Path(argv[argv.index("--out") + 1])
    return Path("/tmp") / default
