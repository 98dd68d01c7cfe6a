"""The eval: exact metrics on a scripted assistant, clear errors on bad files, and a real run on the seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.evaluate import (
    EvalReport,
    contains,
    evaluate,
    exact_match,
    load_questions,
    percentile,
    token_f1,
)
from assistant.errors import BadValueError
from assistant.records.answer import Answer, Citation, ShortAnswer
from assistant.records.article import Passage, Span

ROOT = Path(__file__).resolve().parents[2]
SEED_QUESTIONS = ROOT / "benchmarks" / "seed_questions.jsonl"


def passage(text: str) -> Passage:
    return Passage(chunk_id=text[:10], article_id="a.txt", title="A", text=text, start=0, end=len(text),
                   sentences=[Span(0, len(text))], score=1.0)


def answer(text: str, quotes: list[str], passages: list[str], abstained: bool = False) -> Answer:
    citations = [Citation(n=i + 1, title="A", article_id="a.txt", quote=q, start=0, end=len(q), score=1.0)
                 for i, q in enumerate(quotes)]
    return Answer(text, citations, abstained, [passage(p) for p in passages])


class ScriptedBot:
    """Answers each question from a script, recording the k it was asked with."""

    def __init__(self, script: dict[str, Answer]) -> None:
        self.script = script
        self.calls: list[tuple[str, int | None]] = []
        self.days: dict[str, str | None] = {}

    def ask(self, question: str, history: list[str] | None = None, k: int | None = None, *,
            as_of: str | None = None) -> Answer:
        self.calls.append((question, k))
        self.days[question] = as_of
        return self.script[question]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    return path


ROWS = [
    {"question": "q1", "answers": ["Sean Parnell"]},
    {"question": "q2", "answers": ["December 13th", "Dec. 13"]},
    {"question": "q3", "answers": ["Levi's Stadium"]},
    {"question": "q4", "answers": ["Hasakeh"]},
    {"question": "u1", "answers": [], "unanswerable": True},
    {"question": "u2", "answers": [], "unanswerable": True},
]
SCRIPT = {
    # rank 1, answer and quote hold the gold string (case differs, the marker sits inside the sentence)
    "q1": answer("Spokesperson sean parnell [1] confirmed it.", ["Spokesperson sean parnell confirmed it."],
                 ["Sean Parnell confirmed", "other"]),
    # rank 2; the answer holds the gold string but its only citation does not
    "q2": answer("It happened on December 13th [1].", ["It happened then."], ["nothing", "on December 13th"]),
    # curly apostrophe in the text; rank 3; answer wrong
    "q3": answer("The game was in Santa Clara [1].", ["The game was in Santa Clara."],
                 ["a", "b", "at Levi’s Stadium in Santa Clara"]),
    # abstained, and the gold string is not retrieved at all
    "q4": answer("The indexed articles don't say.", [], ["x", "y"], abstained=True),
    "u1": answer("The indexed articles don't say.", [], ["x"], abstained=True),
    "u2": answer("Something made up [1].", ["Something made up."], ["x"]),
}


def test_metrics_are_exact(tmp_path: Path) -> None:
    bot = ScriptedBot(SCRIPT)
    report = evaluate(bot, write(tmp_path / "q.jsonl", ROWS), k=3)
    assert (report.questions, report.answerable, report.unanswerable, report.k) == (6, 4, 2, 3)
    assert report.hit_at_1 == 0.25
    assert report.hit_at_k == 0.75
    assert report.mrr_at_k == round((1 + 1 / 2 + 1 / 3) / 4, 4)
    assert report.answer_containment == 0.5  # q1 and q2
    assert report.citation_precision == 0.5  # q1's quote holds it, q2's does not
    assert report.abstention == 0.5  # u1 only
    assert report.false_abstention == 0.25  # q4
    assert 0 <= report.latency_p50_ms <= report.latency_p95_ms
    assert bot.calls[0] == ("q1", 3) and len(bot.calls) == 7  # one untimed warm-up, then every question
    assert [o.rank for o in report.outcomes] == [1, 2, 3, None, None, None]


def test_hit_at_k_only_looks_at_the_first_k(tmp_path: Path) -> None:
    report = evaluate(ScriptedBot(SCRIPT), write(tmp_path / "q.jsonl", ROWS[2:3]), k=2)
    assert report.hit_at_k == 0.0 and report.mrr_at_k == 0.0


def test_report_serialises_and_reads_well(tmp_path: Path) -> None:
    report = evaluate(ScriptedBot(SCRIPT), write(tmp_path / "q.jsonl", ROWS), k=3)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["hit_at_k"] == 0.75 and len(data["outcomes"]) == 6
    assert "outcomes" not in report.to_dict(details=False)
    text = report.format()
    assert "hit@3 75.0%" in text and "MRR@3 0.458" in text
    assert "abstention  on unanswerable 50.0%" in text
    assert "q3" in text  # the first misses are shown, so a user sees what to look at


def test_short_answer_scores_use_squad_normalisation(tmp_path: Path) -> None:
    assert exact_match("The Denver Broncos.", ["Denver Broncos"]) and not exact_match("Broncos", ["Denver Broncos"])
    assert token_f1("Broncos", ["Denver Broncos", "Carolina"]) == pytest.approx(2 / 3)
    assert token_f1("nothing alike", ["Denver Broncos"]) == 0.0
    rows = [{"question": "q1", "answers": ["Sean Parnell"]}, {"question": "q2", "answers": ["December 13th"]}]
    script = {"q1": answer("Sean Parnell: he confirmed it [1].", ["he confirmed it"], ["Sean Parnell"]),
              "q2": answer("On the 13th [1].", ["On the 13th."], ["December 13th"])}
    script["q1"].short_answer = ShortAnswer("Sean Parnell", 0, 12, 1)
    script["q2"].short_answer = ShortAnswer("13th", 3, 7, 1)
    report = evaluate(ScriptedBot(script), write(tmp_path / "q.jsonl", rows), k=5)
    assert report.short_answer_rate == 1.0 and report.short_answer_em == 0.5
    assert report.short_answer_f1 == pytest.approx((1.0 + 2 / 3) / 2, abs=1e-3)
    assert "exact match 50.0%" in report.format()


def test_matching_ignores_case_quotes_and_spacing() -> None:
    assert contains("At LEVI’S   Stadium.", ["Levi's Stadium"])
    assert not contains("At Levi Stadium.", ["Levi's Stadium"])
    assert not contains("anything", ["", "  "])


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 50) == 10.0
    assert percentile(values, 95) == 19.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 50) == 0.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('{"answers": ["x"]}', "question"),
        ('{"question": "q", "answers": "x"}', "list of strings"),
        ('{"question": "q", "answers": []}', "unanswerable"),
        ('{"question": "q", "answers": ["x"], "unanswerable": true}', "cannot have answers"),
    ],
)
def test_bad_lines_are_named_with_their_number(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "fine", "answers": ["a"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        load_questions(path)
    assert ":2:" in str(error.value)


def test_empty_file_and_bad_k_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no questions"):
        load_questions(tmp_path / "empty.jsonl")
    with pytest.raises(ValueError, match="k=0"):
        evaluate(ScriptedBot(SCRIPT), write(tmp_path / "q.jsonl", ROWS), k=0)


def test_seed_questions_file_is_valid() -> None:
    questions = load_questions(SEED_QUESTIONS)
    assert len(questions) == 17
    assert sum(q.unanswerable for q in questions) == 3
    seed = (ROOT / "seeds" / "coalition-strikes-syria.txt").read_text(encoding="utf-8")
    for q in questions:  # every gold answer is really in the article, as written there
        assert q.unanswerable or contains(seed, q.answers), q.question


@pytest.mark.e2e
def test_real_assistant_on_the_seed_questions(seed_bot) -> None:
    report: EvalReport = evaluate(seed_bot, SEED_QUESTIONS, k=5)
    assert report.hit_at_k == 1.0
    assert report.answer_containment >= 12 / 14, report.format()
    assert report.citation_precision >= 0.9, report.format()
    assert report.abstention == 1.0, report.format()
    assert report.false_abstention <= 1 / 14, report.format()


def test_each_question_is_asked_as_of_its_day(tmp_path: Path) -> None:
    """A news quiz's "this week" is its own week: the file's ``as_of`` reaches the assistant."""
    rows = [{**ROWS[0], "as_of": "2024-01-05"}, ROWS[1]]
    bot = ScriptedBot(SCRIPT)
    evaluate(bot, write(tmp_path / "q.jsonl", rows), k=3)
    assert bot.days == {"q1": "2024-01-05", "q2": None}


def test_a_bad_as_of_is_named(tmp_path: Path) -> None:
    with pytest.raises(BadValueError, match=r"q.jsonl:1: 'as_of'"):
        load_questions(write(tmp_path / "q.jsonl", [{**ROWS[0], "as_of": 20240105}]))
