"""Query latency (question to cited answer, warm) and peak memory at 1k, 10k and 100k chunks.

The corpus grows in one index through the real update pipeline (loading, chunking, Chroma written a
batch of 4,096 passages at a time, BM25, each passage's sentence vectors). Only the vectors are synthetic,
because embedding 100k chunks would take an hour here: a chunk's vector is the normalised sum of the
real (ONNX) embeddings of its sentences, which are real English sentences from squad-dev and the
seed, so neighbours in the index are meaningful. Questions are squad-dev questions, embedded for
real; each size is queried by a fresh process, whose peak RSS is reported, with the default
settings (ONNX embedder, extractive answerer). Articles are dated, ARTICLES_PER_DAY a day from one outlet
each of five, so a briefing ("What happened last week?") is timed over about 140 articles a week.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from common import (
    DEFAULT_MODEL,
    FIRST_DAY,
    OnnxEmbedder,
    out_path,
    peak_rss_mb,
    percentiles,
    seed_model_cache,
    sentence_pool,
    shared_onnx_model,
    split_sentences,
    squad_dir,
    timed,
    write_articles,
    write_json,
)

from assistant.core import Assistant
from assistant.search.bm25 import LexicalIndex

QUESTIONS = 40
ADDITIONS = 3  # single articles added, one update each, after each size is reached
ROUND_ARTICLES = 8_000  # articles written and indexed per update while the index grows
ARTICLES_PER_DAY = 20  # at 100k passages (~6,700 articles): 335 days of news
BRIEFINGS = ("What happened last week?", "What's new?", "What happened this week?", "Top stories")


class SentenceSumEmbedder(OnnxEmbedder):
    """Real tokenizer (so chunking is real), vectors built from precomputed sentence vectors."""

    def __init__(self, cache_dir: Path, pool: list[str]) -> None:
        super().__init__(DEFAULT_MODEL, cache_dir=cache_dir)
        vectors = super()._encode(pool, False)
        self.table = dict(zip(pool, vectors, strict=True))
        self.fallback = vectors

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        out = np.empty((len(texts), self.fallback.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            parts = [text[s.start:s.end] for s in split_sentences(text)] or [text]
            total = sum(self.table.get(p, self.fallback[zlib.crc32(p.encode()) % len(self.fallback)]) for p in parts)
            out[row] = total / max(float(np.linalg.norm(total)), 1e-12)
        return out


def questions() -> list[str]:
    rows = [json.loads(line) for line in (squad_dir() / "questions.jsonl").read_text().splitlines() if line]
    return [r["question"] for r in rows[:: max(1, len(rows) // QUESTIONS)]][:QUESTIONS]


def query(index: Path, articles: Path) -> dict:
    """Run in a fresh process: open the index as a user would, warm up, then time asks."""
    began = time.perf_counter()
    bot = Assistant(articles_dir=articles, index_dir=index, embedding_backend="onnx")
    asked = questions()
    bot.ask(asked[0])
    first_answer = time.perf_counter() - began
    rules = Assistant(bot.settings.model_copy(update={"answer_scorer": "rules"}), embedder=bot.embedder)
    for q in asked[1:4]:
        bot.ask(q)
        rules.ask(q)
    ask_seconds, rules_seconds, retrieve_seconds, bm25_seconds, embed_seconds = [], [], [], [], []

    def fresh(call):  # the embedder remembers the last question it embedded: each timing embeds anew
        bot.embedder._last_single = None
        return timed(call)[0]

    for q in asked:
        ask_seconds.append(fresh(lambda q=q: bot.ask(q)))
        rules_seconds.append(fresh(lambda q=q: rules.ask(q)))  # the rules alone, beside it, same index
        retrieve_seconds.append(fresh(lambda q=q: bot.retrieve(q)))
        embed_seconds.append(fresh(lambda q=q: bot.embedder.encode([q])))
        bm25_seconds.append(timed(lambda q=q: bot.keyword_index.search(q, 30))[0])
    newest = date.fromisoformat(max(a["date"] for a in bot.articles() if a.get("date")))
    step = max(1, (newest - FIRST_DAY).days // QUESTIONS)  # as-of days spread over the dated news
    days = [(newest - timedelta(days=step * i)).isoformat() for i in range(QUESTIONS)]
    bot.ask(BRIEFINGS[0], as_of=days[0])
    briefing_seconds, stories = [], []
    for i, day in enumerate(days):
        seconds, briefed = timed(lambda i=i, day=day: bot.ask(BRIEFINGS[i % len(BRIEFINGS)], as_of=day))
        briefing_seconds.append(seconds)
        stories.append(len(briefed.briefing))
    return {"ask": percentiles(ask_seconds), "ask_rules": percentiles(rules_seconds),
            "briefing": percentiles(briefing_seconds), "briefing_stories_median": statistics.median(stories),
            "retrieve": percentiles(retrieve_seconds),
            "embed_question": percentiles(embed_seconds),
            "bm25_search": percentiles(bm25_seconds), "first_answer_seconds": round(first_answer, 2),
            "peak_rss_mb": peak_rss_mb(), "chunks": bot.status().chunks}


def main() -> None:
    if "--query" in sys.argv:
        at = sys.argv.index("--query")
        write_json(out_path(sys.argv, "latency_query.json"), query(Path(sys.argv[at + 1]), Path(sys.argv[at + 2])))
        return
    quick = "--quick" in sys.argv
    sizes = [1_000, 5_000] if quick else [1_000, 10_000, 100_000]
    if "--sizes" in sys.argv:  # e.g. --sizes 1000000, the one-machine limit run (about 2 h here)
        sizes = [int(n) for n in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    results = []
    try:
        model_file = shared_onnx_model(work)
        index, articles = work / "index", work / "articles"
        articles.mkdir()  # the assistant refuses a folder that does not exist (and names it)
        seed_model_cache(index, model_file)
        embedder = SentenceSumEmbedder(work / "onnx-cache", sentence_pool())
        builder = Assistant(articles_dir=articles, index_dir=index, update_batch_chunks=4096, embedder=embedder)
        written, chunks_per_article, pipeline_seconds = 0, 15.0, 0.0
        for size in sizes:
            chunks = builder.status().chunks
            while chunks < size * 0.98:  # top up in rounds, estimating chunks per article as we go
                count = min(ROUND_ARTICLES, max(1, int((size - chunks) / chunks_per_article)))
                write_articles(articles, count, seed=written + 7, paragraphs=(16, 24), first=written,
                               per_day=ARTICLES_PER_DAY)
                written += count
                seconds, report = timed(builder.update_index)
                pipeline_seconds += seconds
                chunks_per_article = report.total_chunks / written
                chunks = report.total_chunks
            build_seconds = None if size > 200_000 else round(timed(  # a rebuild follows only a damaged index
                lambda: LexicalIndex.build((i, d) for i, d, _ in builder.store.records(metadatas=False)))[0], 2)
            # one more article, as a user adds one: read and hash the folder, embed it, store it, and
            # update the keyword index in place; three times, one at a time, and the median is reported
            # and the first answer after each addition, in the same process: it reloads the keyword index
            # and regroups the stories of the new store state (the question is embedded like the passages)
            additions, answers_after = [], []
            asked = questions()
            builder.ask(asked[0])
            for n in range(ADDITIONS):
                write_articles(articles, 1, seed=written + 7, paragraphs=(16, 24), first=written,
                               per_day=ARTICLES_PER_DAY)
                written += 1
                seconds, add_one = timed(builder.update_index)
                assert add_one.added == 1, add_one
                additions.append(round(seconds, 3))
                answers_after.append(round(timed(lambda q=asked[1 + n]: builder.ask(q))[0] * 1000, 1))
            out = work / f"query-{size}.json"
            subprocess.run([sys.executable, __file__, "--query", str(index), str(articles), "--out", str(out)],
                           check=True)
            disk_mb = sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / 1e6
            results.append({"target": size, "articles": written, "bm25_build_seconds": build_seconds,
                            "index_disk_mb": round(disk_mb),
                            "add_one_seconds": statistics.median(additions), "add_one_each": additions,
                            "answer_after_add_ms": statistics.median(answers_after),
                            "answer_after_add_each_ms": answers_after,
                            "pipeline_seconds_so_far": round(pipeline_seconds, 1),
                            **json.loads(out.read_text())})
            print(json.dumps(results[-1]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_json(out_path(sys.argv, "bench_latency.json"), {"sizes": results, "questions": QUESTIONS})


if __name__ == "__main__":
    main()
