"""Indexing speed: the whole update pipeline against plain ``SentenceTransformer.encode`` of the same
chunks (the limit), the ONNX embedder against PyTorch, and an incremental update at 2,000 articles.

The machine is shared, so speeds move with the load: ratios are measured in the same run, and the
embedder comparison alternates the two backends over several rounds and reports the median.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from common import (
    median,
    out_path,
    seed_model_cache,
    sentence_pool,
    shared_onnx_model,
    timed,
    write_articles,
    write_json,
)

from assistant.core import Assistant


def pipeline(articles: Path, index: Path, backend: str, model_file: Path) -> tuple[Assistant, dict]:
    """A full build with a warm model: what a user's ``assistant index`` spends past start-up."""
    seed_model_cache(index, model_file)
    bot = Assistant(articles_dir=articles, index_dir=index, embedding_backend=backend)
    bot.embedder.encode(["warm up the model before timing"])
    seconds, report = timed(bot.update_index)
    return bot, {"seconds": round(seconds, 2), "chunks": report.total_chunks, "articles": report.total_articles,
                 "chunks_per_second": round(report.total_chunks / seconds, 1)}


def alternate(encoders: dict, texts: list[str], rounds: int) -> dict:
    """Texts per second of each encoder, alternating so that load changes hit both alike."""
    speeds: dict[str, list[float]] = {name: [] for name in encoders}
    for _ in range(rounds):
        for name, encode in encoders.items():
            seconds, _ = timed(lambda encode=encode: encode(texts))
            speeds[name].append(len(texts) / seconds)
    return {name: {"per_second": round(median(v), 1), "rounds": [round(x, 1) for x in v]}
            for name, v in speeds.items()}


def main() -> None:
    quick = "--quick" in sys.argv
    work = Path(tempfile.mkdtemp(prefix="bench-indexing-"))
    result: dict = {}
    try:
        seconds, model_file = timed(lambda: shared_onnx_model(work))
        result["onnx_export_seconds"] = round(seconds, 1)

        # 1. Throughput: news-length articles, pipeline vs plain encode of the very same chunks.
        articles = work / "articles"
        write_articles(articles, 30 if quick else 120, seed=1, paragraphs=(3, 6))
        onnx_bot, onnx_run = pipeline(articles, work / "idx-onnx", "onnx", model_file)
        torch_bot, torch_run = pipeline(articles, work / "idx-torch", "torch", model_file)
        texts = [document for _, document, _ in onnx_bot.store.records(metadatas=False)]
        model = torch_bot.embedder.model  # the SentenceTransformer itself: the limit users compare with
        plain_seconds, _ = timed(lambda: model.encode(texts, batch_size=32, normalize_embeddings=True))
        plain = round(len(texts) / plain_seconds, 1)
        tokens = onnx_bot.embedder.count_tokens(texts)
        result["throughput"] = {
            "chunks": len(texts), "mean_tokens_per_chunk": round(sum(tokens) / len(tokens), 1),
            "plain_encode_torch_chunks_per_second": plain,
            "pipeline_torch": torch_run, "pipeline_onnx": onnx_run,
            "pipeline_torch_vs_plain": round(torch_run["chunks_per_second"] / plain, 2),
            "pipeline_onnx_vs_plain": round(onnx_run["chunks_per_second"] / plain, 2),
        }

        # 2. The embedders alone, alternating, on chunk-length and on sentence-length texts.
        encoders = {"torch": torch_bot.embedder.encode, "onnx": onnx_bot.embedder.encode}
        rounds = 2 if quick else 3
        chunk_texts = texts[: 64 if quick else 128]
        sentences = sentence_pool()[: 128 if quick else 256]
        on_chunks = alternate(encoders, chunk_texts, rounds)
        on_sentences = alternate(encoders, sentences, rounds)
        vectors = onnx_bot.embedder.encode(chunk_texts) * torch_bot.embedder.encode(chunk_texts)
        cosines = vectors.sum(axis=1)
        result["embedder"] = {
            "chunks": on_chunks, "sentences": on_sentences, "rounds": rounds,
            "speedup_chunks": round(on_chunks["onnx"]["per_second"] / on_chunks["torch"]["per_second"], 2),
            "speedup_sentences": round(on_sentences["onnx"]["per_second"] / on_sentences["torch"]["per_second"], 2),
            "cosine_mean": round(float(cosines.mean()), 4), "cosine_min": round(float(cosines.min()), 4),
        }

        # 3. Incremental: 2,000 short articles, then one more.
        many = work / "many"
        count = 300 if quick else 2000
        write_articles(many, count, seed=2, paragraphs=(1, 2))
        bot, full = pipeline(many, work / "idx-many", "onnx", model_file)
        noop_seconds, _ = timed(bot.update_index)
        write_articles(many, 1, seed=3, paragraphs=(1, 2), first=count)
        add_seconds, report = timed(bot.update_index)
        result["incremental"] = {
            "articles": full["articles"], "chunks": full["chunks"], "full_seconds": full["seconds"],
            "add_one_seconds": round(add_seconds, 2), "add_one_chunks_embedded": report.chunks,
            "no_change_seconds": round(noop_seconds, 2),
            "add_one_fraction_of_full": round(add_seconds / full["seconds"], 4),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_json(out_path(sys.argv, "bench_indexing.json"), result)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
