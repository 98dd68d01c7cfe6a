"""The learned scorer: how likely a candidate sentence answers the question, fitted on squad2-train.

The rules find the best few sentences (meaning, shared words, a span of the asked kind) and say what
each lacks (a name of the question, a number, "the largest"); the trained checker reads the question and
the sentence together (checker.py). Which of these count, and how much, was set by hand against the
sets the answers are reported on; here it is a logistic regression over the same readings, fitted on
the training set alone, with the abstention threshold chosen there for at most 5% false abstention
(``make train``; benchmarks/DECISIONS.md). The fitted numbers live in ``learned.json`` beside this
module, with where they came from.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BadValueError
from .evidence import Sentence
from .question import Question
from .spans import counting

if TYPE_CHECKING:
    from .checker import AnswerChecker

FITTED = Path(__file__).with_name("learned.json")
LACKS = ("missing_name", "missing_name_in_passage", "decisive", "missing_number", "missing_word",
         "missing_degree", "missing_negation", "kind", "contrary")  # the kinds evidence.lacks() names
FEATURES = ("similarity", "lexical", "behind_similarity", "behind_lexical", "position", "asks_kind", "has_span",
            "counted", *LACKS, "checker")


def features(question: Question, ranked: list[Sentence], checked: list[float] | None) -> list[dict[str, float]]:
    """What the scorer reads of each candidate (``ranked``: the rules' order; ``checked``: the checker's
    logits, None without one): its own readings and how far it stands behind the best candidate."""
    top_similarity = max((s.similarity for s in ranked), default=0.0)
    top_lexical = max((s.lexical for s in ranked), default=0.0)
    rows = []
    for position, sentence in enumerate(ranked):
        row = {"similarity": sentence.similarity, "lexical": sentence.lexical,
               "behind_similarity": top_similarity - sentence.similarity,
               "behind_lexical": top_lexical - sentence.lexical, "position": float(position),
               "asks_kind": float(question.kind is not None), "has_span": float(bool(sentence.spans)),
               "counted": float(max((counting(question.counted, sentence.text, c) for c in sentence.spans),
                                    default=0) if question.counted else 0),
               "checker": checked[position] if checked is not None else 0.0}
        row.update(dict.fromkeys(LACKS, 0.0))
        for kind, amount in sentence.lacking.values():
            row[kind] += amount
        rows.append(row)
    return rows


@dataclass(frozen=True)
class LearnedScorer:
    """``rescore(question, ranked, checker)``: the candidates with ``score`` set to the fitted probability
    that each answers, best first; ``threshold`` is the abstention cut, ``margin`` who is cited beside the best."""

    coefficients: dict[str, float]
    intercept: float
    threshold: float
    margin: float
    uses_checker: bool = False
    checked: int = 5  # the rules' best this many are scored (and read by the checker); the rest are dropped
    provenance: dict = field(default_factory=dict)  # what it was fitted on, by which command, and how it measured

    def __post_init__(self) -> None:
        unknown = set(self.coefficients) - set(FEATURES)
        if unknown:
            raise BadValueError(f"learned scorer: {sorted(unknown)[0]!r} is not a feature ({', '.join(FEATURES)})")
        if not 0.0 <= self.threshold <= 1.0:
            raise BadValueError(f"learned scorer: threshold={self.threshold} must be between 0 and 1")

    def probability(self, row: dict[str, float]) -> float:
        logit = self.intercept + sum(weight * row.get(name, 0.0) for name, weight in self.coefficients.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))

    def rescore(self, question: Question, ranked: list[Sentence], checker: AnswerChecker | None = None
                ) -> list[Sentence]:
        ranked = ranked[: self.checked]
        if self.uses_checker and checker is None:
            raise BadValueError("this learned scorer reads the answer checker; give it one")
        rows = features(question, ranked, None)
        if checker is not None and self.uses_checker:
            self.read(question, ranked, rows, checker)
        for sentence, row in zip(ranked, rows):
            sentence.score = round(self.probability(row), 4)
        return sorted(ranked, key=lambda s: s.score, reverse=True)

    def read(self, question: Question, ranked: list[Sentence], rows: list[dict[str, float]],
             checker: AnswerChecker) -> None:
        """Fill in the checker's logit of each candidate it could lift over the threshold; one it could not,
        even with its most favourable logit, goes unread and keeps that logit (its score stays under the cut).
        About one read in nine over squad2-train; the checker is most of the learned answerer's cost."""
        least, most = checker.logit_range
        favourable = most if self.coefficients.get("checker", 0.0) >= 0 else least
        for row in rows:
            row["checker"] = favourable
        read = [i for i, row in enumerate(rows) if self.probability(row) >= self.threshold]
        for i, logit in zip(read, checker.logits(question.text, [ranked[i] for i in read])):
            rows[i]["checker"] = logit

    def to_dict(self) -> dict:
        return {"coefficients": self.coefficients, "intercept": self.intercept, "threshold": self.threshold,
                "margin": self.margin, "uses_checker": self.uses_checker, "checked": self.checked,
                "provenance": self.provenance}


def load_scorer(path: Path | str = FITTED) -> LearnedScorer:
    """The scorer saved by ``make train``; a file that cannot be read names itself and the reason."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return LearnedScorer({k: float(v) for k, v in raw["coefficients"].items()}, float(raw["intercept"]),
                             float(raw["threshold"]), float(raw["margin"]), bool(raw.get("uses_checker", False)),
                             int(raw.get("checked", 5)), dict(raw.get("provenance", {})))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BadValueError(f"learned scorer {path} cannot be read: {error}") from None
