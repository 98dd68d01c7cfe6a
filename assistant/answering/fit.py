"""``make train`` (``assistant train``): the checker, the learned scorer and the span reader, from squad2-train,
fixed seeds.

1. Index the training articles and ask every question through the real flow (training.py).
2. Out-of-fold checker readings: a checker fine-tuned on one half of the articles reads the candidates
   of the other half, so the scorer learns how much the checker's word is worth on questions it never
   saw, as in use.
3. The scorer: a logistic regression over the rules' readings and the checker's, on the candidates the
   answerer reads (the rules' best ``CHECKED``); the abstention threshold is the highest that abstains on
   at most ``FALSE_ABSTENTION`` of the answerable questions, and the margin the one that finds most
   answers while citing at most ``CITED`` sentences on average, both chosen on the same training set.
4. The shipped checker: fine-tuned on every training article.
5. The span reader, from the shipped checker's layers, and its cut (reader_training.py).

What each figure measured (out of fold, on the training set alone) is written into ``learned.json``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadValueError
from .checker import READ_TOKENS, SHIPPED, AnswerChecker
from .checker_training import pairs_of, train
from .learned import FEATURES, FITTED, LearnedScorer
from .reader_training import train_reader
from .training import SEED, Asked, ask_all

log = logging.getLogger(__name__)

CHECKED = 5  # the rules' best this many candidates are read by the checker and scored
FALSE_ABSTENTION = 0.05  # the bar for the threshold, on the training set
CITED = 1.8  # at most this many sentences cited on average (the rules cite 1.7)
MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
C = 1.0  # the regression's inverse regularisation, on standardised features


def fit_regression(rows: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float]:
    """Coefficients on the raw features (standardised for the fit, then folded back) and the intercept."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000, random_state=SEED).fit((rows - mean) / scale, labels)
    coefficients = model.coef_[0] / scale
    return coefficients, float(model.intercept_[0] - (coefficients * mean).sum())


def matrix(asked: list[Asked], names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the checked candidates, their labels, and the question each belongs to."""
    rows, labels, owners = [], [], []
    for number, item in enumerate(asked):
        for candidate in item.candidates[:CHECKED]:
            rows.append([candidate.row[n] for n in names])
            labels.append(candidate.answers)
            owners.append(number)
    return np.array(rows, dtype=np.float64), np.array(labels, dtype=bool), np.array(owners)


def outcomes(asked: list[Asked], probabilities: np.ndarray, owners: np.ndarray, threshold: float,
             margin: float) -> dict:
    """Abstention and containment over the questions, as the answerer would cut and cite."""
    by_question: dict[int, list[tuple[float, bool]]] = {}
    labels = [c.answers for item in asked for c in item.candidates[:CHECKED]]
    for p, owner, answers in zip(probabilities.tolist(), owners.tolist(), labels):
        by_question.setdefault(owner, []).append((p, answers))
    groups = {"answerable": 0, "unanswerable": 0, "other_paragraphs": 0}
    abstained = dict.fromkeys(groups, 0)
    found = cited = answered = 0
    for number, item in enumerate(asked):
        scored = sorted(by_question.get(number, []), key=lambda x: -x[0])
        best = scored[0][0] if scored else 0.0
        group = "answerable" if item.answerable else "other_paragraphs" if item.synthetic else "unanswerable"
        groups[group] += 1
        if best < threshold:
            abstained[group] += 1
            continue
        chosen = [a for p, a in scored[:3] if p >= max(threshold, best - margin)]
        answered += 1
        cited += len(chosen)
        found += group == "answerable" and any(chosen)
    return {"false_abstention": round(abstained["answerable"] / max(groups["answerable"], 1), 4),
            "abstention_unanswerable": round(abstained["unanswerable"] / max(groups["unanswerable"], 1), 4),
            "abstention_other_paragraphs": round(abstained["other_paragraphs"] / max(groups["other_paragraphs"], 1), 4),
            "containment": round(found / max(groups["answerable"], 1), 4),
            "cited_mean": round(cited / max(answered, 1), 3), "questions": groups}


def best_of_question(probabilities: np.ndarray, owners: np.ndarray, asked: list[Asked]) -> np.ndarray:
    best = np.zeros(len(asked))
    np.maximum.at(best, owners, probabilities)
    return best


def choose_threshold(best: np.ndarray, asked: list[Asked]) -> float:
    """The highest cut that abstains on at most FALSE_ABSTENTION of the answerable questions."""
    answerable = np.sort(best[[i for i, a in enumerate(asked) if a.answerable]])
    return float(answerable[int(np.floor(FALSE_ABSTENTION * len(answerable)))]) if len(answerable) else 0.5


def folds(asked: list[Asked]) -> list[set[str]]:
    """The training articles in two halves, alternating by name (fixed: no seed needed)."""
    articles = sorted({a.article for a in asked})
    return [set(articles[0::2]), set(articles[1::2])]


def read_with_checker(asked: list[Asked], shipped: Path, cache: Path) -> None:
    """Fill each checked candidate's "checker" feature with this checker's logit."""
    checker = AnswerChecker(cache, shipped)
    for item in asked:
        heads = item.candidates[:CHECKED]
        logits = checker.logits(item.question, heads)
        for candidate, logit in zip(heads, logits):
            candidate.row["checker"] = logit


def fit_scorer(asked: list[Asked], names: tuple[str, ...]) -> tuple[LearnedScorer, dict]:
    """The regression, its threshold and margin on ``asked``; with the out-of-fold measurement of each."""
    rows, labels, owners = matrix(asked, names)
    halves = folds(asked)
    held = np.zeros(len(labels))
    article_of_row = np.array([asked[o].article for o in owners])
    for half in halves:  # out of fold: fitted on one half, scored on the other
        inside = np.isin(article_of_row, list(half))
        coefficients, intercept = fit_regression(rows[~inside], labels[~inside])
        held[inside] = 1 / (1 + np.exp(-(rows[inside] @ coefficients + intercept)))
    coefficients, intercept = fit_regression(rows, labels)
    fitted = 1 / (1 + np.exp(-(rows @ coefficients + intercept)))
    threshold = choose_threshold(best_of_question(fitted, owners, asked), asked)
    candidates = [(m, outcomes(asked, fitted, owners, threshold, m)) for m in MARGINS]
    allowed = [(m, o) for m, o in candidates if o["cited_mean"] <= CITED] or candidates[:1]
    margin = max(allowed, key=lambda mo: (mo[1]["containment"], -mo[0]))[0]
    held_threshold = choose_threshold(best_of_question(held, owners, asked), asked)
    measured = {"out_of_fold": outcomes(asked, held, owners, held_threshold, margin),
                "in_sample": outcomes(asked, fitted, owners, threshold, margin)}
    scorer = LearnedScorer(dict(zip(names, (round(float(c), 6) for c in coefficients))), round(intercept, 6),
                           round(threshold, 4), margin, "checker" in names, CHECKED)
    return scorer, measured


def train_all(bot: Any, questions: Path, out: Path = FITTED.parent, limit: int | None = None, epochs: int = 2
              ) -> dict:
    """Steps 1-5 above for ``bot``, an :class:`~assistant.core.Assistant` over the training articles; writes
    ``checker.safetensors``, ``learned.json``, ``reader.safetensors`` and ``reader.json`` in ``out`` and returns
    what was measured."""
    if not questions.is_file():
        raise BadValueError(f"training questions {questions} not found")
    work = bot.settings.index_dir / "training"
    bot.update_index()
    asked = list(ask_all(bot, questions, bot.settings.articles_dir, limit))
    log.info("asked %d questions (with the other-paragraph copies)", len(asked))
    report: dict = {"questions": len(asked), "checker_folds": []}
    for number, half in enumerate(folds(asked)):
        fold_file = work / f"checker-fold{number}.safetensors"
        report["checker_folds"].append(train(pairs_of([a for a in asked if a.article not in half]), fold_file,
                                             epochs=epochs))
        read_with_checker([a for a in asked if a.article in half], fold_file, work / "models")
    scorer, measured = fit_scorer(asked, FEATURES)
    _, measured_plain = fit_scorer(asked, tuple(n for n in FEATURES if n != "checker"))
    out.mkdir(parents=True, exist_ok=True)
    report["checker"] = train(pairs_of(asked), out / SHIPPED.name, epochs=epochs)
    provenance = {"fitted_on": f"{questions.parent.name}/{questions.name} alone (make train: squad2-train)",
                  "command": "make train",
                  "seed": SEED, "false_abstention_bar": FALSE_ABSTENTION,
                  "measured": measured, "measured_without_checker": measured_plain, "training": report,
                  "checker_read_tokens": READ_TOKENS}
    scorer = replace(scorer, provenance=provenance)
    (out / FITTED.name).write_text(json.dumps(scorer.to_dict(), indent=1) + "\n", encoding="utf-8")
    reader = train_reader(questions, bot.settings.articles_dir, out, limit, checker=out / SHIPPED.name)
    return {"measured": measured, "measured_without_checker": measured_plain, "training": report, "reader": reader}
