# A one-off comparison kept for repeating it: needs `pip install "bm25s>=0.3,<0.4"` and the previous
# lexical.py (`git show 8aeb9fe:assistant/lexical.py > /tmp/old_lexical.py`), and squad indexes built by
# `assistant eval` in /tmp/ab-s1-index (squad-dev) and /tmp/ab-s2-index (squad2-dev).
"""bm25s (the previous keyword index) vs tantivy (the new one): keyword-only hit@5 on squad-dev and squad2-dev
answerable questions, and query/build/update time on ~100k passages."""
import json, random, statistics, sys, time, importlib.util
from pathlib import Path
sys.path.insert(0, "/work/main")
from assistant.store import ChromaStore
from assistant.settings import Settings
from assistant.lexical import LexicalIndex as Tantivy
spec = importlib.util.spec_from_file_location("old_lexical", "/tmp/old_lexical.py", submodule_search_locations=None)
import types
old = types.ModuleType("assistant.old_lexical"); old.__package__ = "assistant"
exec(compile(open("/tmp/old_lexical.py").read().replace("from .text import terms", "from assistant.text import terms"), "old_lexical", "exec"), old.__dict__)
Bm25s = old.LexicalIndex

def records(index_dir):
    s = Settings(index_dir=index_dir)
    store = ChromaStore(s)
    return [(i, d) for i, d, _ in store.records(metadatas=False)]

def hit_at(index, qs, by_id, k=5):
    hits, times = 0, []
    for q in qs:
        t = time.perf_counter(); found = index.search(q["question"], k); times.append(time.perf_counter() - t)
        if any(any(a.lower() in by_id[c].lower() for a in q["answers"]) for c, _ in found):
            hits += 1
    return hits / len(qs), statistics.median(times) * 1000

out = {}
for name, index_dir, qfile in (("squad-dev", "/tmp/ab-s1-index", "/work/shared/bench/squad-dev/questions.jsonl"),
                               ("squad2-dev", "/tmp/ab-s2-index", "/work/shared/bench/squad2-dev/questions.jsonl")):
    recs = records(index_dir); by_id = dict(recs)
    qs = [json.loads(l) for l in open(qfile)]
    qs = [q for q in qs if q.get("answers")]
    for label, cls in (("bm25s", Bm25s), ("tantivy", Tantivy)):
        idx = cls.build(recs)
        h, ms = hit_at(idx, qs, by_id)
        out[f"{name} {label}"] = {"hit@5": round(h, 4), "query_ms_p50": round(ms, 3), "questions": len(qs), "chunks": len(recs)}
        print(name, label, out[f"{name} {label}"], flush=True)

# ~100k passages from the squad-dev sentences shuffled into passages of 6-10 sentences
sentences = [s.strip() + "." for _, d in records("/tmp/ab-s1-index") for s in d.split(". ") if len(s) > 20]
rng = random.Random(7)
big = [(f"a{i // 5}.md::{i % 5}", " ".join(rng.choices(sentences, k=rng.randint(6, 10)))) for i in range(100_000)]
qs = [json.loads(l)["question"] for l in open("/work/shared/bench/squad-dev/questions.jsonl")][:200]
import tempfile
for label, cls in (("bm25s", Bm25s), ("tantivy", Tantivy)):
    t = time.perf_counter()
    idx = cls.build(big, "s", Path(tempfile.mkdtemp()) / "kw") if label == "tantivy" else cls.build(big, "s")
    build = time.perf_counter() - t
    times = []
    for q in qs:
        t = time.perf_counter(); idx.search(q, 30); times.append(time.perf_counter() - t)
    times.sort()
    row = {"build_s": round(build, 1), "query_ms_p50": round(times[len(times)//2]*1000, 2), "query_ms_p95": round(times[int(len(times)*.95)]*1000, 2)}
    if label == "tantivy":
        t = time.perf_counter(); idx.apply(["a7.md"], [(f"new.md::{j}", big[j][1]) for j in range(5)], "s2"); row["add_one_article_s"] = round(time.perf_counter() - t, 3)
    else:
        t = time.perf_counter(); cls.build(big[:-5] + [(f"new.md::{j}", big[j][1]) for j in range(5)], "s2"); row["add_one_article_s"] = round(time.perf_counter() - t, 3)
    out[f"100k {label}"] = row
    print("100k", label, row, flush=True)
json.dump(out, open("/tmp/kw/out.json", "w"), indent=1)
