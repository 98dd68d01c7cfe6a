"""Quality on squad-dev: our assistant (ONNX and PyTorch embedder) beside the naive LangChain peer.

Retrieval (hit@1, hit@5, MRR@5) uses every question; answers and abstention use every STRIDE-th
question (the answerer embeds each retrieved sentence, ~0.2 s a question on 2 cores). Unanswerable
questions: each article's questions asked against an index of the other article only.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import out_path, seed_model_cache, shared_onnx_model, squad_dir, timed, write_json
from naive import NaivePeer, naive_embeddings

from assistant.answering.evaluate import contains, evaluate, load_questions, summarize
from assistant.core import Assistant

K = 5


def folders(work: Path) -> dict[str, Path]:
    """'both' plus one folder per article, each a copy of the articles it holds."""
    articles = sorted((squad_dir() / "articles").glob("*.md"))
    made = {"both": articles} | {p.name: [p] for p in articles}
    result = {}
    for name, files in made.items():
        folder = work / "articles" / name.removesuffix(".md")
        folder.mkdir(parents=True)
        for f in files:
            shutil.copy2(f, folder / f.name)
        result[name] = folder
    return result


def write_questions(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def retrieval(search, questions: list[dict]) -> dict:
    """hit@1, hit@5 and MRR@5 over every question; ``search(q)`` returns ranked passage texts."""
    ranks, seconds = [], []
    for q in questions:
        began = time.perf_counter()
        texts = search(q["question"])
        seconds.append(time.perf_counter() - began)
        ranks.append(next((i + 1 for i, t in enumerate(texts[:K]) if contains(t, q["answers"])), None))
    n = len(ranks)
    return {"questions": n, "hit_at_1": round(sum(r == 1 for r in ranks) / n, 4),
            "hit_at_5": round(sum(r is not None for r in ranks) / n, 4),
            "mrr_at_5": round(sum(1 / r for r in ranks if r) / n, 4),
            "seconds_per_question": round(sum(seconds) / n, 4), "ranks": ranks}


def ours(index: Path, articles: Path, backend: str, model_file: Path) -> tuple[Assistant, float]:
    seed_model_cache(index, model_file)
    bot = Assistant(articles_dir=articles, index_dir=index, embedding_backend=backend)
    seconds, _ = timed(bot.update_index)
    return bot, seconds


def answers(ask_both, ask_only: dict, sample: list[dict], work: Path, tag: str) -> dict:
    """Answer metrics on the sample, and abstention with the other article's questions."""
    answerable = evaluate(ask_both, write_questions(work / f"{tag}-answerable.jsonl", sample), K)
    outcomes = []
    for article, bot in ask_only.items():
        others = [{"question": q["question"], "answers": [], "unanswerable": True, "id": q["id"]}
                  for q in sample if q["article"] != article]
        outcomes += evaluate(bot, write_questions(work / f"{tag}-vs-{article}.jsonl", others), K).outcomes
    unanswerable = summarize(outcomes, K)
    texts = [o.answer for o in answerable.outcomes if not o.abstained]
    return {
        "answerable": answerable.to_dict(details=False),
        "abstention": unanswerable.abstention,
        "unanswerable_questions": unanswerable.questions,
        "mean_answer_chars": round(sum(map(len, texts)) / max(1, len(texts))),
        "misses": [{"question": o.question, "answer": o.answer[:300]} for o in answerable.outcomes
                   if not o.answer_correct][:8],
        "wrongly_answered_unanswerable": [{"question": o.question, "answer": o.answer[:300]}
                                          for o in unanswerable.outcomes if not o.abstained][:5],
    }


def main() -> None:
    quick = "--quick" in sys.argv
    stride = 6
    work = Path(tempfile.mkdtemp(prefix="bench-quality-"))
    result: dict = {"stride": stride}
    try:
        export_seconds, model_file = timed(lambda: shared_onnx_model(work))
        result["onnx_export_seconds"] = round(export_seconds, 1)
        questions = [json.loads(line) for line in (squad_dir() / "questions.jsonl").read_text().splitlines() if line]
        load_questions(squad_dir() / "questions.jsonl")  # the file itself passes the eval's checks
        if quick:
            questions = questions[::5]
        sample = questions[::stride]
        result["sample"] = len(sample)
        dirs = folders(work)
        systems: dict[str, dict] = {}

        bot, seconds = ours(work / "idx-onnx", dirs["both"], "onnx", model_file)
        systems["ours_onnx"] = {"index_seconds": round(seconds, 1), "chunks": bot.status().chunks,
                                "retrieval": retrieval(lambda q: [p.text for p in bot.retrieve(q, K)], questions)}
        only = {a: ours(work / f"idx-onnx-{a}", dirs[a], "onnx", model_file)[0] for a in dirs if a != "both"}
        systems["ours_onnx"]["answers"] = answers(bot, only, sample, work, "onnx")

        torch_bot, seconds = ours(work / "idx-torch", dirs["both"], "torch", model_file)
        systems["ours_torch"] = {"index_seconds": round(seconds, 1), "chunks": torch_bot.status().chunks,
                                 "retrieval": retrieval(lambda q: [p.text for p in torch_bot.retrieve(q, K)],
                                                        questions)}

        embeddings = naive_embeddings()
        seconds, peer = timed(lambda: NaivePeer(dirs["both"], work / "naive-both", embeddings, "both"))
        systems["naive"] = {"index_seconds": round(seconds, 1), "chunks": len(peer.chunks),
                            "retrieval": retrieval(lambda q: [d.page_content for d in peer.search(q, K)], questions)}
        peer_only = {a: NaivePeer(dirs[a], work / f"naive-{a}", embeddings, a.removesuffix(".md").replace("_", "-"))
                     for a in dirs if a != "both"}
        systems["naive"]["answers"] = answers(peer, peer_only, sample, work, "naive")

        onnx_ranks = systems["ours_onnx"]["retrieval"]["ranks"]
        torch_ranks = systems["ours_torch"]["retrieval"]["ranks"]
        result["onnx_vs_torch"] = {
            "hit_at_5_delta_points": round(100 * (systems["ours_onnx"]["retrieval"]["hit_at_5"]
                                                  - systems["ours_torch"]["retrieval"]["hit_at_5"]), 2),
            "questions_that_differ_at_5": sum((a is None) != (b is None) for a, b in zip(onnx_ranks, torch_ranks,
                                                                                          strict=True)),
        }
        for system in systems.values():
            system["retrieval"].pop("ranks")
        result["systems"] = systems
        result["questions"] = len(questions)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_json(out_path(sys.argv, "bench_quality.json"), result)
    print(json.dumps({k: v for k, v in result.items() if k != "systems"}, indent=1))


if __name__ == "__main__":
    main()
