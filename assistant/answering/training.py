"""What the learned parts are fitted on: the rules' candidates for every squad2-train question, labelled.

Each question of ``../shared/bench/squad2-train`` is asked of an index of its articles through the real
flow (question reader, hybrid retrieval, the rules' best few sentences), and each candidate is labelled
by whether it holds a gold answer. SQuAD's unanswerable side is thin there (348 questions, two
articles), so every answerable question is also asked once more with its own paragraph's sentences
left out: the article's other paragraphs still talk about the same things, and nothing there answers
it (the issue's "a question against the other paragraphs of its article"). No held-out set is read.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadValueError
from .evaluate import contains, normalize
from .learned import FEATURES, features

SEED = 20261202


@dataclass
class Candidate:
    """One sentence the rules put forward for a question, as the checker and the scorer read it."""

    previous: str
    text: str
    row: dict[str, float]  # features(); "checker" is filled in once the checker is trained
    answers: bool


@dataclass
class Asked:
    """One question as asked, with its candidates (``answerable``: the question as asked has an answer)."""

    id: str
    question: str
    article: str
    answerable: bool
    synthetic: bool  # asked with its own paragraph left out
    candidates: list[Candidate]
    gold_sentence: tuple[str, str] | None = None  # (previous, text) of a sentence that answers, if any


def paragraphs(article: Path) -> list[str]:
    """The paragraphs after the ``# Title`` line, as the question file counts them."""
    blocks = [b.strip() for b in article.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    return [b for b in blocks if not b.startswith("# ")]


def question_rows(questions: Path, limit: int | None = None) -> list[dict]:
    """The rows of a training questions file (a random ``limit`` of them, fixed seed)."""
    if not questions.is_file():
        raise BadValueError(f"training questions {questions} not found")
    rows = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    return random.Random(SEED).sample(rows, min(limit, len(rows))) if limit is not None else rows


def ask_all(bot, questions: Path, articles: Path, limit: int | None = None, k: int = 5) -> Iterator[Asked]:
    """Every question of ``questions`` (a random ``limit`` of them, fixed seed), then each answerable one
    again without its own paragraph. ``bot``: an :class:`~assistant.core.Assistant` over ``articles``."""
    rows = question_rows(questions, limit)
    texts: dict[str, list[str]] = {}
    for raw in rows:
        if raw["article"] not in texts:
            texts[raw["article"]] = paragraphs(articles / raw["article"])
        yield from _asked(bot, raw, texts[raw["article"]][int(raw["paragraph"])], k)


def _asked(bot, raw: dict, paragraph: str, k: int) -> Iterator[Asked]:
    """One question as asked, then (answerable) as asked of the other paragraphs."""
    golds = [a for a in raw.get("answers", []) if a.strip()]
    own = normalize(paragraph)
    query = bot.reader.run(raw["question"], [], None, None)
    passages = bot.retriever.search(query, k)

    def elsewhere(sentence) -> bool:
        return normalize(sentence.text) not in own and not contains(sentence.text, golds)

    for synthetic in (False, True) if golds else (False,):
        found = bot.extractive.candidates(query, passages, elsewhere if synthetic else None)
        rows = features(query.asked, found.ranked, None)
        answerable = bool(golds) and not synthetic
        candidates = [Candidate(s.previous, s.text, row, answerable and contains(s.text, golds))
                      for s, row in zip(found.ranked, rows)]
        yield Asked(str(raw["id"]), raw["question"], raw["article"], answerable, synthetic, candidates,
                    _gold_sentence(paragraph, golds) if answerable else None)


def _gold_sentence(paragraph: str, golds: list[str]) -> tuple[str, str] | None:
    """The first sentence of the gold paragraph that holds a gold answer, with the one before it."""
    from ..ingest.chunk import split_sentences

    sentences = [paragraph[span.start:span.end] for span in split_sentences(paragraph)]
    for i, sentence in enumerate(sentences):
        if contains(sentence, golds):
            return (sentences[i - 1] if i else "", sentence)
    return None


def save(asked: list[Asked], path: Path) -> None:
    path.write_text("\n".join(json.dumps({**a.__dict__, "candidates": [c.__dict__ for c in a.candidates]})
                              for a in asked) + "\n", encoding="utf-8")


def load(path: Path) -> list[Asked]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            raw = json.loads(line)
            raw["candidates"] = [Candidate(**c) for c in raw["candidates"]]
            raw["gold_sentence"] = tuple(raw["gold_sentence"]) if raw["gold_sentence"] else None
            out.append(Asked(**raw))
        except (ValueError, TypeError, KeyError) as error:
            raise BadValueError(f"{path}:{number}: not a training example ({error})") from None
    missing = set(FEATURES) - set(out[0].candidates[0].row) if out and out[0].candidates else set()
    if missing:
        raise BadValueError(f"{path}: made by another version (no {sorted(missing)[0]!r}); run make train again")
    return out
