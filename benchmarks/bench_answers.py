"""Answers side by side in one run: the learned answerer, the rules alone and the naive peer.

squad-dev: every 2nd question (every 12th with --quick), answerable, and the same questions asked of
an index holding only the other article (unanswerable, the easy kind). squad2-dev: every question of the
"Rhine" article (every 4th with --quick), 208 of them written to look answerable. news-2024: every
question (every 4th with --quick), each asked as of its quiz day, over the 2,004 articles. Same index,
same retrieval, same questions for both of ours; only the scorer differs, so the latencies are
comparable too. None of these sets was used to fit anything (benchmarks/DECISIONS.md). Also what the
recognisers cost per question: the answerer's regular expressions beside dateparser's search.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_quality import folders, ours, write_questions
from common import bench_dir, out_path, shared_onnx_model, squad_dir, timed, write_json
from naive import NaivePeer, naive_embeddings

from assistant.answering.evaluate import evaluate, summarize
from assistant.answering.evidence import specifics
from assistant.answering.extractive import passage_terms, sentences_of
from assistant.answering.kinds import spans_of
from assistant.answering.question import Kind, analyse
from assistant.core import Assistant

K = 5


def scored(bot, questions: Path, unanswerable: list | None = None) -> dict:
    report = evaluate(bot, questions, K)
    outcomes = report.outcomes + (unanswerable or [])
    full = summarize(outcomes, K)
    answered = [o for o in report.outcomes if not o.abstained and not o.unanswerable]
    data = full.to_dict(details=False)
    data["sentences_mean"] = round(sum(o.answer.count("[") for o in answered) / max(1, len(answered)), 2)
    data["misses"] = [{"question": o.question, "answer": o.answer[:240]} for o in report.outcomes
                      if not o.unanswerable and not o.answer_correct][:6]
    data["answered_unanswerable"] = [{"question": o.question, "answer": o.answer[:240]} for o in outcomes
                                     if o.unanswerable and not o.abstained][:4]
    return data


def rules(bot: Assistant) -> Assistant:
    """The same index and embedder, answered by the rules alone (the hand-set weights, no checker)."""
    return Assistant(bot.settings.model_copy(update={"answer_scorer": "rules"}), embedder=bot.embedder)


def recogniser_cost(bot: Assistant, questions: list[dict], dateparser_questions: int) -> dict:
    """Milliseconds per question to read the question and find every kind of span in the sentences of
    its retrieved passages; dateparser's search_dates on the same sentences for a few questions."""
    import dateparser.search

    ours, theirs, sentences = [], [], 0
    for number, q in enumerate(questions):
        passages = bot.retrieve(q["question"], K)
        began = time.perf_counter()
        asked = analyse(q["question"])
        specifics(asked)
        found = sentences_of(passages, asked, passage_terms(passages))
        for sentence in found:
            for kind in Kind:
                spans_of(sentence.text, kind)
        ours.append(time.perf_counter() - began)
        sentences += len(found)
        if number < dateparser_questions:
            began = time.perf_counter()
            for sentence in found:
                dateparser.search.search_dates(sentence.text, languages=["en"])
            theirs.append(time.perf_counter() - began)
    return {"questions": len(questions), "sentences_per_question": round(sentences / len(questions), 1),
            "ours_ms": round(1000 * sum(ours) / len(ours), 2),
            "dateparser_questions": len(theirs), "dateparser_ms": round(1000 * sum(theirs) / len(theirs), 1)}


class CountedChecker:
    """The answerer's checker, counting the sentences it is given to read."""

    def __init__(self, checker) -> None:
        self.checker, self.read = checker, 0
        self.logit_range = checker.logit_range

    def logits(self, question: str, sentences: list) -> list[float]:
        self.read += len(sentences)
        return self.checker.logits(question, sentences)


def checker_cost(bot: Assistant, questions: list[dict]) -> dict:
    """Milliseconds per question for the answer checker alone: reading the question with the rules' best
    five, and as the scorer reads them (a candidate the checker could not lift over the cut goes unread)."""
    checker, scorer = bot.extractive.checker, bot.extractive.scorer
    if checker is None or scorer is None:
        return {}
    every, as_read, counted, candidates = [], [], CountedChecker(checker), 0
    for q in questions:
        query = bot.reader.run(q["question"])
        heads = bot.extractive.candidates(query, bot.retriever.search(query, K)).ranked[: scorer.checked]
        candidates += len(heads)
        every.append(timed(lambda heads=heads, query=query: checker.logits(query.asked.text, heads))[0])
        as_read.append(timed(lambda heads=heads, query=query: scorer.rescore(query.asked, heads, counted))[0])

    def ms(seconds: list[float]) -> dict:
        out = sorted(1000 * x for x in seconds)
        return {"p50_ms": round(out[len(out) // 2], 1), "p95_ms": round(out[int(0.95 * (len(out) - 1))], 1)}

    return {"questions": len(every), "candidates": scorer.checked, **ms(every),
            "as_read": {**ms(as_read), "read_share": round(counted.read / max(candidates, 1), 3)}}


def main() -> None:
    quick = "--quick" in sys.argv
    stride = 12 if quick else 2
    news_stride = 4 if quick else 1
    work = Path(tempfile.mkdtemp(prefix="bench-answers-"))
    result: dict = {"stride": stride}
    try:
        _, model_file = timed(lambda: shared_onnx_model(work))
        rows = [json.loads(line) for line in (squad_dir() / "questions.jsonl").read_text().splitlines() if line]
        sample = rows[::stride]
        answerable = write_questions(work / "squad.jsonl", sample)
        dirs = folders(work)
        both, _ = ours(work / "idx-both", dirs["both"], "onnx", model_file)
        only = {a: ours(work / f"idx-{a}", dirs[a], "onnx", model_file)[0] for a in dirs if a != "both"}
        rhine_dir = work / "articles" / "rhine"
        rhine_dir.mkdir(parents=True)
        shutil.copy2(bench_dir() / "squad2-dev" / "articles" / "rhine.md", rhine_dir)
        rhine, _ = ours(work / "idx-rhine", rhine_dir, "onnx", model_file)
        squad2 = bench_dir() / "squad2-dev" / "questions.jsonl"
        if quick:
            squad2 = write_questions(work / "squad2.jsonl", [json.loads(line) for line in
                                                             squad2.read_text().splitlines() if line][::4])
        result["squad2_questions"] = sum(1 for line in squad2.read_text().splitlines() if line.strip())
        news_dir = bench_dir() / "news-2024"
        news_questions = write_questions(work / "news.jsonl", [json.loads(line) for line in (
            news_dir / "questions.jsonl").read_text().splitlines() if line][::news_stride])
        news, _ = ours(work / "idx-news", news_dir / "articles", "onnx", model_file)

        def unanswerable(make) -> list:
            outcomes = []
            for article, bot in only.items():
                others = [{"question": q["question"], "answers": [], "unanswerable": True, "id": q["id"]}
                          for q in sample if q["article"] != article]
                outcomes += evaluate(make(bot), write_questions(work / f"vs-{article}.jsonl", others), K).outcomes
            return outcomes

        embeddings = naive_embeddings()
        peers = {name: NaivePeer(folder, work / f"naive-{name}", embeddings, name.removesuffix(".md").replace("_", "-"))
                 for name, folder in {**dirs, "rhine": rhine_dir, "news": news_dir / "articles"}.items()}
        systems = {
            "learned": (lambda b: b, both, rhine, news),
            "rules": (rules, rules(both), rules(rhine), rules(news)),
        }
        result["systems"] = {}
        for name, (make, squad_bot, rhine_bot, news_bot) in systems.items():
            result["systems"][name] = {"squad": scored(squad_bot, answerable, unanswerable(make)),
                                       "squad2": scored(rhine_bot, squad2), "news": scored(news_bot, news_questions)}
            print(name, json.dumps({k: {m: v[m] for m in ("answer_containment", "abstention", "false_abstention",
                                                          "short_answer_f1", "latency_p50_ms")}
                                    for k, v in result["systems"][name].items()}), flush=True)
        naive_un = []
        for article in only:
            others = [{"question": q["question"], "answers": [], "unanswerable": True, "id": q["id"]}
                      for q in sample if q["article"] != article]
            naive_un += evaluate(peers[article], write_questions(work / f"naive-vs-{article}.jsonl", others),
                                 K).outcomes
        result["systems"]["naive"] = {"squad": scored(peers["both"], answerable, naive_un),
                                      "squad2": scored(peers["rhine"], squad2),
                                      "news": scored(peers["news"], news_questions)}
        result["recognisers"] = recogniser_cost(both, sample[:100], 10)
        result["checker"] = checker_cost(both, sample[:100])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_json(out_path(sys.argv, "bench_answers.json"), result)
    print(json.dumps({n: {k: {m: v[m] for m in ("answer_containment", "abstention", "false_abstention",
                                                 "short_answer_f1", "latency_p50_ms")} for k, v in s.items()}
                      for n, s in result["systems"].items()}, indent=1))


if __name__ == "__main__":
    main()
