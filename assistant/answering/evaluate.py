"""Eval: turn "better answers" into numbers over a file of questions with gold answer strings.

Matching is by string containment (case-insensitive, quotes and spaces normalised), as in SQuAD-style
retrieval evaluation: a passage or an answer "has" the answer when a gold string occurs in it.
"""

from __future__ import annotations

import json
import math
import re
import string
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import BadValueError
from ..records.answer import Answer, strip_markers

SPACE = re.compile(r"\s+")
PUNCTUATION = frozenset(string.punctuation)
ARTICLES = re.compile(r"\b(?:a|an|the)\b")
FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class Asks(Protocol):
    """What the evaluation needs: an ``Assistant`` or anything that answers like one."""

    def ask(self, question: str, history: list[str] | None = None, k: int | None = None, *,
            as_of: str | None = None) -> Answer: ...


@dataclass
class Question:
    question: str
    answers: list[str]
    unanswerable: bool = False
    id: str = ""
    as_of: str | None = None  # the day it is asked as of: a news quiz's "this week" is its own week


def normalize(text: str) -> str:
    """Case, curly quotes, dashes and runs of spaces do not decide whether an answer matches."""
    return SPACE.sub(" ", text.translate(FOLD)).strip().casefold()


def squad_tokens(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.translate(FOLD).lower() if ch not in PUNCTUATION)
    return ARTICLES.sub(" ", text).split()


def exact_match(prediction: str, golds: list[str]) -> bool:
    return any(squad_tokens(prediction) == squad_tokens(g) for g in golds if g.strip())


def token_f1(prediction: str, golds: list[str]) -> float:
    """SQuAD's token F1 against the best-matching gold answer."""
    best = 0.0
    predicted = squad_tokens(prediction)
    for gold in golds:
        expected = squad_tokens(gold)
        same = sum((Counter(predicted) & Counter(expected)).values())
        if same:
            precision, recall = same / len(predicted), same / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def contains(text: str, golds: list[str]) -> bool:
    haystack = normalize(text)
    return any(normalize(g) in haystack for g in golds if g.strip())


def load_questions(path: Path | str) -> list[Question]:
    """Read JSONL; a line names what is wrong with it so the file can be fixed."""
    questions: list[Question] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as error:
            raise BadValueError(f"{path}:{number}: not JSON ({error})") from None
        if not isinstance(raw, dict) or not str(raw.get("question", "")).strip():
            raise BadValueError(f"{path}:{number}: needs a non-empty 'question'")
        answers = raw.get("answers", [])
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise BadValueError(f"{path}:{number}: 'answers' must be a list of strings")
        unanswerable = bool(raw.get("unanswerable", False))
        if unanswerable and answers:
            raise BadValueError(f"{path}:{number}: an unanswerable question cannot have answers")
        if not unanswerable and not any(a.strip() for a in answers):
            raise BadValueError(f"{path}:{number}: no answers; mark it \"unanswerable\": true if that is meant")
        as_of = raw.get("as_of")
        if as_of is not None and not isinstance(as_of, str):
            raise BadValueError(f"{path}:{number}: 'as_of' must be a date like 2024-12-15")
        questions.append(Question(str(raw["question"]).strip(), answers, unanswerable, str(raw.get("id", number)),
                                  as_of))
    if not questions:
        raise BadValueError(f"{path}: no questions")
    return questions


@dataclass
class Outcome:
    """One question's result, kept so a report can show what went wrong and where."""

    id: str
    question: str
    unanswerable: bool
    rank: int | None  # 1-based rank of the first retrieved passage holding a gold answer
    abstained: bool
    answer_correct: bool
    citation_correct: bool
    seconds: float
    answer: str
    short_answer: str | None = None
    short_exact: bool = False  # the short answer equals a gold answer (SQuAD normalisation)
    short_f1: float = 0.0  # token F1 of the short answer (0 when there is none)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: an observed latency, not an interpolation between two."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q / 100 * len(ordered)))) - 1]


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


@dataclass
class EvalReport:
    k: int
    questions: int
    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_k: float
    mrr_at_k: float
    answer_containment: float  # answerable questions whose answer text holds a gold answer
    citation_precision: float  # of those, the share where a cited quote holds it too
    short_answer_rate: float  # answerable questions that got a short answer
    short_answer_em: float  # exact match of the short answer, over all answerable questions
    short_answer_f1: float  # token F1 of the short answer, over all answerable questions
    abstention: float  # unanswerable questions that got "the articles don't say"
    false_abstention: float  # answerable questions that got it
    latency_p50_ms: float
    latency_p95_ms: float
    outcomes: list[Outcome] = field(default_factory=list, repr=False)

    def to_dict(self, details: bool = True) -> dict:
        data = asdict(self)
        if not details:
            data.pop("outcomes")
        return data

    def format(self) -> str:
        k = self.k
        lines = [
            f"{self.questions} questions ({self.answerable} answerable, {self.unanswerable} unanswerable), k={k}",
            f"  retrieval   hit@1 {self.hit_at_1:.1%}   hit@{k} {self.hit_at_k:.1%}   MRR@{k} {self.mrr_at_k:.3f}",
            f"  answers     contain a gold answer {self.answer_containment:.1%}   "
            f"citation precision {self.citation_precision:.1%}",
            f"  short       given {self.short_answer_rate:.1%}   exact match {self.short_answer_em:.1%}   "
            f"F1 {self.short_answer_f1:.1%}",
            f"  abstention  on unanswerable {self.abstention:.1%}   false, on answerable {self.false_abstention:.1%}",
            f"  latency     p50 {self.latency_p50_ms:.0f} ms   p95 {self.latency_p95_ms:.0f} ms",
        ]
        misses = [o for o in self.outcomes if not o.unanswerable and not o.answer_correct][:5]
        if misses:
            lines.append("  first misses:")
            lines += [f"    - {o.question}  ->  {o.answer[:100]}" for o in misses]
        return "\n".join(lines)


def judge(item: Question, answer: Answer, k: int, seconds: float) -> Outcome:
    """Score one answer against its gold strings."""
    rank = next((i + 1 for i, p in enumerate(answer.passages[:k]) if contains(p.text, item.answers)), None)
    text = strip_markers(answer.text)
    answered = not answer.abstained and not item.unanswerable
    answer_correct = answered and contains(text, item.answers)
    citation_correct = answer_correct and any(contains(c.quote, item.answers) for c in answer.citations)
    short = answer.short_answer.text if answer.short_answer and answered else None
    return Outcome(item.id, item.question, item.unanswerable, None if item.unanswerable else rank,
                   answer.abstained, answer_correct, citation_correct, round(seconds, 4), answer.text, short,
                   exact_match(short, item.answers) if short else False,
                   round(token_f1(short, item.answers), 4) if short else 0.0)


def summarize(outcomes: list[Outcome], k: int) -> EvalReport:
    """Aggregate outcomes; separate from :func:`evaluate` so other systems can be scored alike."""
    answerable = [o for o in outcomes if not o.unanswerable]
    unanswerable = [o for o in outcomes if o.unanswerable]
    correct = [o for o in answerable if o.answer_correct]
    latencies = [o.seconds * 1000 for o in outcomes]
    return EvalReport(
        k=k,
        questions=len(outcomes),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        hit_at_1=_ratio(sum(o.rank == 1 for o in answerable), len(answerable)),
        hit_at_k=_ratio(sum(o.rank is not None for o in answerable), len(answerable)),
        mrr_at_k=round(sum(1 / o.rank for o in answerable if o.rank) / len(answerable), 4) if answerable else 0.0,
        answer_containment=_ratio(len(correct), len(answerable)),
        citation_precision=_ratio(sum(o.citation_correct for o in correct), len(correct)),
        short_answer_rate=_ratio(sum(o.short_answer is not None for o in answerable), len(answerable)),
        short_answer_em=_ratio(sum(o.short_exact for o in answerable), len(answerable)),
        short_answer_f1=round(sum(o.short_f1 for o in answerable) / len(answerable), 4) if answerable else 0.0,
        abstention=_ratio(sum(o.abstained for o in unanswerable), len(unanswerable)),
        false_abstention=_ratio(sum(o.abstained for o in answerable), len(answerable)),
        latency_p50_ms=round(percentile(latencies, 50), 1),
        latency_p95_ms=round(percentile(latencies, 95), 1),
        outcomes=outcomes,
    )


def evaluate(assistant: Asks, questions_path: Path | str, k: int = 5) -> EvalReport:
    """Ask every question of the file through ``assistant.ask`` (the whole flow) and score it.

    The first question is asked once untimed beforehand, so latencies are warm (model loaded). A question
    with ``as_of`` is asked as of that day.
    """
    if k < 1:
        raise BadValueError(f"k={k} must be at least 1")
    items = load_questions(questions_path)
    assistant.ask(items[0].question, k=k, as_of=items[0].as_of)
    outcomes = []
    for item in items:
        began = time.perf_counter()
        answer = assistant.ask(item.question, k=k, as_of=item.as_of)
        outcomes.append(judge(item, answer, k, time.perf_counter() - began))
    return summarize(outcomes, k)
