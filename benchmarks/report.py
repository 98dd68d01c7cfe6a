"""Render benchmark numbers (the dict run_all.py collects) as benchmarks/RESULTS.md."""

from __future__ import annotations


def examples(heading: str, misses: list[dict]) -> list[str]:
    """A heading and one line per question the eval flagged, with the start of the answer given."""
    if not misses:
        return []
    return [heading, "", *(f"- *{m['question']}* → {m['answer'][:220]}" for m in misses), ""]


def pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows] + [""]


def quality(q: dict) -> list[str]:
    systems = q["systems"]
    ours, torch, naive = systems["ours_onnx"], systems["ours_torch"], systems["naive"]

    def row(name: str, s: dict) -> list[object]:
        r, a = s["retrieval"], s.get("answers")
        answered = a["answerable"] if a else {}
        return [name, s["chunks"], pct(r["hit_at_1"]), pct(r["hit_at_5"]), f"{r['mrr_at_5']:.3f}",
                pct(answered.get("answer_containment")), pct(answered.get("citation_precision")),
                pct(a["abstention"]) if a else "—", pct(answered.get("false_abstention")),
                a["mean_answer_chars"] if a else "—",
                f"{answered['latency_p50_ms']:.0f} / {answered['latency_p95_ms']:.0f}" if a else "—"]

    sample = ours["answers"]["answerable"]["questions"]
    unanswerable = ours["answers"]["unanswerable_questions"]
    lines = [
        "## Quality on squad-dev, side by side with the naive peer",
        "",
        f"Retrieval columns: all {q['questions']} questions. Answer columns: every {ordinal(q['stride'])} question "
        f"({sample} answerable; {unanswerable} unanswerable, made by asking each article's sampled questions "
        "of an index holding only the other article). A passage or answer *contains* the answer when a gold "
        "string occurs in it (case-insensitive). Both systems are scored by `assistant.answering.evaluate`.",
        "",
    ]
    lines += table(["system", "chunks", "hit@1", "hit@5", "MRR@5", "answer contains gold", "citation precision",
                    "abstains when it should", "false abstention", "answer chars (mean)", "latency p50 / p95 ms"],
                   [row("**ours**: hybrid retrieval, extractive answer, ONNX int8 embedder", ours),
                    row("ours, PyTorch embedder (retrieval only)", torch),
                    row("naive peer: RecursiveCharacterTextSplitter(1000, 200) + Chroma, top 4", naive)])
    lines += [
        "The naive peer has no answerer: its \"answer\" is its best chunk (~1,000 characters, cited whole), so "
        "answer containment and citation precision flatter it, and it never abstains. Its hit@5 uses its top 5 "
        "chunks, the same k as ours. Latency is question to answer, warm: ours reads the vectors of the "
        "retrieved passages' sentences, stored when they were indexed, and embeds only the question, as the "
        "peer does.",
        "",
    ]
    return lines + examples("Examples the eval flags for ours (answerable questions missed, then unanswerable ones "
                            "answered):",
                            ours["answers"]["misses"][:4] + ours["answers"]["wrongly_answered_unanswerable"][:2])


def answers(a: dict) -> list[str]:
    """The learned answerer beside the rules alone and the naive peer, on squad-dev, squad2-dev and news-2024."""
    names = {"learned": "**learned** (rules' best five, checker + weights fitted on squad2-train)",
             "rules": "rules alone (hand-set weights)", "naive": "naive peer (best chunk, never abstains)"}

    def row(name: str, s: dict) -> list[object]:
        sq, s2, news = s["squad"], s["squad2"], s.get("news")
        return [names[name], pct(sq["answer_containment"]), pct(sq["false_abstention"]), pct(sq["abstention"]),
                f"{pct(sq['short_answer_em'])} / {pct(sq['short_answer_f1'])}", sq["sentences_mean"],
                pct(s2["answer_containment"]), pct(s2["false_abstention"]), pct(s2["abstention"]),
                *((pct(news["answer_containment"]), pct(news["false_abstention"]), pct(news["abstention"]))
                  if news else ("—", "—", "—")),
                f"{sq['latency_p50_ms']:.0f} / {s2['latency_p50_ms']:.0f} / "
                f"{news['latency_p50_ms'] if news else 0:.0f}"]

    systems = a["systems"]
    if "learned" not in systems:  # numbers of an earlier answerer, from before the learned one existed
        return []
    learned = systems["learned"]
    news = learned.get("news", {})
    lines = [
        "## Answers, side by side: the learned answerer, the rules alone and the naive peer",
        "",
        f"squad-dev: every {ordinal(a['stride'])} question ({learned['squad']['answerable']} answerable), and the "
        f"same questions asked of an index holding only the other article ({learned['squad']['unanswerable']} "
        f"unanswerable). squad2-dev: {a['squad2_questions']} questions of the \"Rhine\" article, "
        f"{learned['squad2']['unanswerable']} of them written to look answerable. news-2024: "
        f"{news.get('answerable', 0)} quiz questions answered in the folder's 2,004 real 2024 articles and "
        f"{news.get('unanswerable', 0)} from later weeks answered in none, each asked as of its quiz day. None "
        "of the three was used to fit or choose anything (benchmarks/DECISIONS.md). The whole flow through "
        "`Assistant.ask`; same index, embedder and retrieval for both of ours, only the scorer differs "
        "(`benchmarks/bench_answers.py`).",
        "",
    ]
    lines += table(["answerer", "squad-dev contains gold", "false abstention", "abstains (other article)",
                    "short answer EM / F1", "cited sentences (mean)", "squad2 contains gold",
                    "squad2 false abstention", "squad2 abstains on unanswerable", "news contains gold",
                    "news false abstention", "news abstains (later weeks)", "latency p50 ms squad / squad2 / news"],
                   [row(name, systems[name]) for name in ("learned", "rules", "naive") if name in systems])
    r = a.get("recognisers")
    if r:
        lines += [f"Recognisers, per question over {r['questions']} squad-dev questions "
                  f"(~{r['sentences_per_question']:.0f} retrieved sentences each): reading the question and finding "
                  f"every kind of span (dates, numbers, names, places) takes {r['ours_ms']:.1f} ms; dateparser's "
                  f"`search_dates` on the same sentences takes {r['dateparser_ms']:.0f} ms "
                  f"({r['dateparser_questions']} questions), and its matches take in neighbouring words, so the "
                  "answerer does not use it.", ""]
    c = a.get("checker")
    if c:
        lines += [f"The answer checker alone, per question over {c['questions']} squad-dev questions: reading the "
                  f"question with the rules' best {c['candidates']} sentences takes {c['p50_ms']:.1f} ms p50 "
                  f"({c['p95_ms']:.1f} ms p95), int8 ONNX on the CPU."
                  + (f" As the scorer reads them, leaving unread each candidate that even the checker's most "
                     f"favourable logit could not lift over the cut, it reads {100 * read['read_share']:.0f}% of them "
                     f"in {read['p50_ms']:.1f} ms p50 ({read['p95_ms']:.1f} ms p95) with the scoring."
                     if (read := c.get("as_read")) else ""), ""]
    flagged = [*learned["squad"]["misses"][:3], *news.get("misses", [])[:3],
               *learned["squad2"]["answered_unanswerable"][:2], *news.get("answered_unanswerable", [])[:2]]
    return lines + examples("What the learned answerer still gets wrong (answerable questions missed on squad-dev and "
                            "news-2024, then squad2-dev's and news-2024's unanswerable questions answered):", flagged)


def embedder(i: dict, q: dict | None) -> list[str]:
    e = i["embedder"]
    lines = ["## The faster embedder: ONNX int8 vs PyTorch (same weights, same run)", ""]
    rows = [[f"chunks (~{i['throughput']['mean_tokens_per_chunk']:.0f} word pieces)",
             e["chunks"]["torch"]["per_second"], e["chunks"]["onnx"]["per_second"], f"**{e['speedup_chunks']}×**"],
            ["sentences (as the indexer embeds them for answers)", e["sentences"]["torch"]["per_second"],
             e["sentences"]["onnx"]["per_second"], f"**{e['speedup_sentences']}×**"]]
    lines += table(["texts", "PyTorch texts/s", "ONNX int8 texts/s", "speed-up"], rows)
    lines.append(f"Median of {e['rounds']} alternating rounds. Cosine of ONNX to PyTorch vectors on chunks: "
                 f"{e['cosine_mean']} mean, {e['cosine_min']} min. One-time export: {i['onnx_export_seconds']} s.")
    if q:
        d = q["onnx_vs_torch"]
        lines.append(f"Hit@5 on all {q['questions']} squad-dev questions: ONNX minus PyTorch = "
                     f"**{d['hit_at_5_delta_points']:+.2f} points** ({d['questions_that_differ_at_5']} questions "
                     "differ); the issue allows 1 point.")
    return [*lines, ""]


def indexing(i: dict) -> list[str]:
    t, inc = i["throughput"], i["incremental"]
    lines = ["## Indexing speed", "",
             f"{t['chunks']} chunks from {t['pipeline_onnx']['articles']} synthetic news articles (real sentences, "
             "shuffled), full build with a warm model, against plain `SentenceTransformer.encode` of the very "
             "same chunk texts (batch 32), the limit a pipeline built on PyTorch cannot beat.", ""]
    lines += table(["", "chunks/s", "vs plain encode"], [
        ["plain `SentenceTransformer.encode` (PyTorch)", t["plain_encode_torch_chunks_per_second"], "1.00"],
        ["whole update pipeline, PyTorch embedder", t["pipeline_torch"]["chunks_per_second"],
         t["pipeline_torch_vs_plain"]],
        ["**whole update pipeline, ONNX int8**", t["pipeline_onnx"]["chunks_per_second"],
         f"**{t['pipeline_onnx_vs_plain']}**"]])
    embedding = t["chunks"] / i["embedder"]["chunks"]["onnx"]["per_second"]
    lines += [f"The pipeline embeds each passage and, separately, each of its sentences, whose vectors are stored so "
              f"that answering embeds only the question. In the ONNX pipeline, embedding the passages is "
              f"{100 * embedding / t['pipeline_onnx']['seconds']:.0f}% of the time; embedding their sentences is "
              "most of the rest, then Chroma, written once per batch of articles.", ""]
    lines += [f"Incremental update: an index of {inc['articles']:,} short articles ({inc['chunks']:,} chunks) took "
              f"{inc['full_seconds']} s to build; adding 1 article took **{inc['add_one_seconds']} s = "
              f"{100 * inc['add_one_fraction_of_full']:.1f}% of the full build** ({inc['add_one_chunks_embedded']} "
              f"chunk embedded; the rest is listing the folder, reading what changed, Chroma and the keyword index). "
              f"An update with nothing changed took {inc['no_change_seconds']} s.", ""]
    return lines


def _embed_ratio(size: dict) -> str:
    embed = size.get("embed_question")
    return f"{embed['p50_ms']:.1f} ({size['ask']['p50_ms'] / embed['p50_ms']:.1f}×)" if embed else "–"


def latency(lat: dict) -> list[str]:
    medians = all("add_one_each" in s for s in lat["sizes"])
    rows = []
    for s in lat["sizes"]:
        rows.append([f"{s['chunks']:,}", f"{s['articles']:,}",
                     f"**{s['ask']['p50_ms']:.0f} / {s['ask']['p95_ms']:.0f}**",
                     f"{s['ask_rules']['p50_ms']:.0f} / {s['ask_rules']['p95_ms']:.0f}" if "ask_rules" in s else "–",
                     f"{s['retrieve']['p50_ms']:.0f} / {s['retrieve']['p95_ms']:.0f}",
                     _embed_ratio(s),
                     f"{s['bm25_search']['p50_ms']:.1f} / {s['bm25_search']['p95_ms']:.1f}",
                     f"{s['briefing']['p50_ms']:.0f} / {s['briefing']['p95_ms']:.0f} ({s['briefing_stories_median']:g})"
                     if "briefing" in s else "–",
                     s["bm25_build_seconds"] if s.get("bm25_build_seconds") is not None else "–",
                     s.get("add_one_seconds", "–"),
                     f"{s['answer_after_add_ms']:.0f}" if "answer_after_add_ms" in s else "–",
                     f"{s['peak_rss_mb']:.0f}",
                     f"{s['index_disk_mb']:,}" if "index_disk_mb" in s else "–",
                     s["first_answer_seconds"]])
    lines = ["## Query latency and memory by index size", "",
             f"{lat['questions']} squad-dev questions per size, after 4 warm-up questions, each size queried by "
             "a fresh process (ONNX int8 embedder, other settings default). Vectors are synthetic (the corpus "
             "would take an hour to embed here): each chunk's vector is the normalised sum of the real ONNX "
             "embeddings of its sentences, which are real English sentences from squad-dev and the seed "
             "article, shuffled into synthetic articles; texts, chunking, Chroma and BM25 are real, and "
             "questions are embedded for real. The answer after each addition is asked in the process that "
             "added it (so it reloads the keyword index and regroups the stories), where questions are "
             "embedded like the passages. A briefing (\"What happened last week?\", \"What's new?\", \"What "
             "happened this week?\", \"Top stories\" in turn) is asked as of 40 days spread over the dated "
             "articles (20 a day from five outlets): it reads the first passage of each article of its period.", ""]
    lines += table(["chunks", "articles", "question → cited answer p50 / p95 ms",
                    "the rules alone, same run p50 / p95 ms", "retrieval only p50 / p95 ms",
                    "embedding the question alone p50 ms (answer ÷ it)", "BM25 search p50 / p95 ms",
                    "briefing p50 / p95 ms (stories, median)",
                    "BM25 rebuild s", "add 1 article s" + (" (median of 3)" if medians else ""),
                    "the next answer ms (median of 3)", "peak RSS MB",
                    "index on disk MB", "first answer after start s"], rows)
    return lines


def time_words(found: dict) -> list[str]:
    lines = ["## Time words of every benchmark question", "",
             "`python benchmarks/bench_time_words.py`: each question's time words as the assistant reads them, "
             "as of the question's `as_of` (news-2024: its quiz date), else as of 15 Dec 2024. \"Unread\" words "
             "would be ignored with a note; none is.", ""]
    rows = [[name, f"{s['questions']:,}", s["with_time_words"], s["unread"],
             ", ".join(f"“{w}” {n}" for w, n in list(s["words"].items())[:6]) or "–", s["read_ms_per_question"]]
            for name, s in found["sets"].items()]
    return lines + table(["set", "questions", "with time words", "unread", "most common", "ms a question"], rows)


def million(lat: dict) -> list[str]:
    lines = latency(lat | {"sizes": [s for s in lat["sizes"] if s["target"] >= 1_000_000]})
    lines[0] = "## One machine's limit: a million passages"
    lines[2] = ("The same measurement as above, in one index grown on to about a million chunks by the same "
                "pipeline and the same synthetic vectors, run only when asked (`python benchmarks/run_all.py "
                "--only million`, about 2 h here; the smaller sizes it passes through are in the table above). "
                "The BM25 rebuild (needed only after damage) is not timed past 200k chunks. Being run rarely, it "
                "can be older than the table above: see when each section was measured.")
    return lines


def startup(start: dict) -> list[str]:
    commands = {"help": "`assistant --help`", "ask": f"`assistant ask \"{start['question']}\"`",
                "import_chromadb": "`python -c 'import chromadb'`",
                "open_store": "the store opened as the assistant opens it (chromadb and its client)",
                "python_alone": "`python -c pass`"}
    rows = [[label, f"**{start[key]['median_s']:.2f}**", f"{start[key]['best_s']:.2f}"]
            for key, label in commands.items() if key in start]
    lines = ["## Cold start", "",
             f"Each command is a fresh process ({start['ask']['n']} runs each), timed from process start to exit, "
             "on the seed index with the default settings (ONNX int8 embedder, export already cached). "
             "Importing chromadb is the floor of every command that opens the store; the assistant loads it "
             "without the `overrides` library's import-time signature checks (see `store.py`).", ""]
    return lines + table(["command", "median s", "best s"], rows) + [
        f"The answer printed: {start['answer_starts']} …", ""]


def api_load(load: dict) -> list[str]:
    settings = load["settings"]
    rows = [[f"{r['requests']} {'streaming' if r['stream'] else 'plain'}", r["answered"], r["refused"], r["other"],
             r.get("latency", {}).get("p50_ms", "–"), r.get("latency", {}).get("p95_ms", "–"), r["wall_s"]]
            for r in load["runs"]]
    return ["## The API under concurrent load", "",
            "`python benchmarks/bench_api_load.py`: the real façade over the indexed seed article, the "
            f"OpenAI-compatible API served by uvicorn on 127.0.0.1 (concurrency_limit {settings['concurrency_limit']}, "
            f"queue_timeout {settings['queue_timeout']:g} s), all requests sent at once. Latency: each answered "
            "request's time to its last byte, queueing included.", "",
            *table(["requests", "answered", "refused (503)", "other", "p50 ms", "p95 ms", "wall s"], rows), "",
            f"The server answered a plain request afterwards: {'yes' if load['answers_afterwards'] else 'no'}.", ""]


def _when_measured(runs: dict) -> list[str]:
    """Sections kept from earlier runs say when they were measured, and under what load."""
    done = {name: run for name, run in runs.items() if run}
    if len(set(run["finished"] for run in done.values())) < 2:
        return []
    return ["Sections were measured in different runs: " + "; ".join(
        f"{name} finished {run['finished']} (load average {run['load_average']})" for name, run in done.items())
        + (f"; {', '.join(sorted(set(runs) - set(done)))} in an earlier run" if set(runs) - set(done) else "") + "."]


def render(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Made by `{results['command']}` (also `make bench`), finished {results['finished']} in "
        f"{results['total_seconds'] / 60:.1f} min.",
        f"Machine: {m['cpu']}, {m['cores']} cores shared with other work (load average {m['load_average_at_start']} "
        f"at start, {m['load_average_at_end']} at end), Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        "Speeds on a shared machine move with its load, so every comparison below is measured in the same run.",
        *_when_measured(results.get("runs", {})),
        "",
    ]
    if results.get("quick"):
        lines += ["**Quick run: subsampled, for development only.**", ""]
    if "quality" in results:
        lines += quality(results["quality"])
    if "answers" in results:
        lines += answers(results["answers"])
    if "indexing" in results:
        lines += embedder(results["indexing"], results.get("quality"))
        lines += indexing(results["indexing"])
    if "latency" in results:
        lines += latency(results["latency"])
    if "million" in results:
        lines += million(results["million"])
    if "time_words" in results:
        lines += time_words(results["time_words"])
    if "startup" in results:
        lines += startup(results["startup"])
    if "api_load" in results:
        lines += api_load(results["api_load"])
    lines += ["Raw numbers: `benchmarks/results.json`. Per-benchmark wall time (s): "
              + ", ".join(f"{k} {v}" for k, v in results["seconds"].items()) + "."]
    return "\n".join(lines) + "\n"
