"""bm25s (the keyword index before 2026-11-26) against tantivy (today's), side by side in one run:
keyword-only hit@5 on the answerable squad questions, and build, query and one-article update time
at 100k passages. The table is in DECISIONS.md.

A one-off, kept so it can be repeated. It needs bm25s (`pip install "bm25s>=0.3,<0.4"`), the previous
module (`git show 8aeb9fe:assistant/lexical.py > /tmp/old_lexical.py`) and two indexes made by
`assistant --articles <copy of the set's articles> --index DIR eval QUESTIONS.jsonl`:

    python benchmarks/compare_keywords.py SQUAD_DEV_INDEX SQUAD2_DEV_INDEX
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

from common import squad_dir

from assistant.search.bm25 import LexicalIndex as Tantivy
from assistant.settings import Settings
from assistant.store.chroma import ChromaStore


def previous_engine() -> type:
    module = types.ModuleType("old_lexical")
    source = Path("/tmp/old_lexical.py").read_text().replace("from .text import", "from assistant.text.terms import")
    exec(compile(source, "old_lexical.py", "exec"), module.__dict__)
    return module.LexicalIndex


def chunks(index_dir: str) -> list[tuple[str, str]]:
    return [(i, d) for i, d, _ in ChromaStore(Settings(index_dir=index_dir)).records(metadatas=False)]


def questions(path: Path) -> list[dict]:
    with path.open() as lines:
        return [q for q in map(json.loads, lines) if q.get("answers")]


def hit_at_5(engine: type, records: list[tuple[str, str]], asked: list[dict]) -> dict:
    index, texts, hits, seconds = engine.build(records), dict(records), 0, []
    for q in asked:
        began = time.perf_counter()
        found = index.search(q["question"], 5)
        seconds.append(time.perf_counter() - began)
        hits += any(a.lower() in texts[c].lower() for a in q["answers"] for c, _ in found)
    return {"hit@5": round(hits / len(asked), 4), "query_ms_p50": round(1000 * statistics.median(seconds), 3)}


def at_100k(engine: type, name: str, records: list[tuple[str, str]], asked: list[str]) -> dict:
    folder = Path(tempfile.mkdtemp()) / "keywords"
    began = time.perf_counter()
    index = engine.build(records, "1", folder) if name == "tantivy" else engine.build(records, "1")
    build = time.perf_counter() - began
    seconds = []
    for q in asked:
        began = time.perf_counter()
        index.search(q, 30)
        seconds.append(time.perf_counter() - began)
    new = [(f"new.md::{j}", records[j][1]) for j in range(5)]
    began = time.perf_counter()
    if name == "tantivy":
        index.apply(["a7.md"], new, "2")
    else:  # bm25s cannot add a document: the update rebuilt it
        engine.build([r for r in records if not r[0].startswith("a7.md::")] + new, "2")
    seconds.sort()
    return {"build_s": round(build, 1), "query_ms_p50": round(1000 * seconds[len(seconds) // 2], 2),
            "query_ms_p95": round(1000 * seconds[int(len(seconds) * 0.95)], 2),
            "add_one_article_s": round(time.perf_counter() - began, 3)}


def main() -> None:
    engines = {"bm25s": previous_engine(), "tantivy": Tantivy}
    results = {}
    for name, index_dir in (("squad-dev", sys.argv[1]), ("squad2-dev", sys.argv[2])):
        records, asked = chunks(index_dir), questions(squad_dir().parent / name / "questions.jsonl")
        for label, engine in engines.items():
            results[f"{name} {label}"] = hit_at_5(engine, records, asked) | {"chunks": len(records)}
    sentences = [s.strip() + "." for _, d in chunks(sys.argv[1]) for s in d.split(". ") if len(s) > 20]
    rng = random.Random(7)
    big = [(f"a{i // 5}.md::{i % 5}", " ".join(rng.choices(sentences, k=rng.randint(6, 10)))) for i in range(100_000)]
    asked = [q["question"] for q in questions(squad_dir() / "questions.jsonl")][:200]
    for label, engine in engines.items():
        results[f"100k {label}"] = at_100k(engine, label, big, asked)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
