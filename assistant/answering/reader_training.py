"""Training the span reader (reader.py) on the gold sentences of squad2-train, and choosing its cut there.

Each answerable question is paired with the sentence of its article that holds the first gold answer
(with the sentence before it, as the answerer reads it); the label is where that answer starts and ends.
The network starts from the shipped checker's fine-tuned layers (they already read a question against a
sentence) with a new start/end head; the bundled lower layers stay frozen, so their output is computed
once. The cut: a reader trained on one half of the training articles reads the other half's sentences
where the rules give no short answer, and the cut is the lowest on ``CUTS`` at which it is exactly right
as often as the rules are where they answer. The shipped reader is then trained on every article.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from ..embedders.onnx_runtime import token_arrays
from ..errors import BadValueError
from ..ingest.chunk import split_sentences
from .checker import SHIPPED, network, pair_text, save_top, tokenizer, unpacked
from .evaluate import exact_match
from .evidence import new_spans
from .question import analyse
from .reader import FITTED_READER, SHIPPED_READER, best_read, sentence_tokens
from .short import best_span
from .spans import Candidate
from .training import SEED, question_rows

log = logging.getLogger(__name__)

CUTS = tuple(round(0.05 * i, 2) for i in range(20))  # the reader's probability cuts tried


@dataclass(frozen=True)
class GoldSentence:
    """A question, the sentence that answers it (and the one before), and the answer's offsets in it."""

    question: str
    text: str
    previous: str
    start: int
    end: int
    answers: tuple[str, ...]
    article: str



def _rules_span(gold: GoldSentence) -> Candidate | None:
    """The rules' short answer in the gold sentence (short.best_span), None when no kind is asked."""
    asked = analyse(gold.question)
    if asked.kind is None:
        return None
    return best_span(asked, SimpleNamespace(text=gold.text, spans=new_spans(gold.text, asked)))


def gold_sentences(questions: Path, articles: Path, limit: int | None = None) -> list[GoldSentence]:
    """Every answerable question of ``questions`` with the sentence holding its first gold answer's offset."""
    rows = question_rows(questions, limit)
    texts: dict[str, tuple[str, list]] = {}
    out = []
    for raw in rows:
        offsets = raw.get("answer_offsets") or []
        if raw.get("unanswerable") or not offsets:
            continue
        if raw["article"] not in texts:
            text = (articles / raw["article"]).read_text(encoding="utf-8")
            texts[raw["article"]] = (text, split_sentences(text))
        text, spans = texts[raw["article"]]
        answer = offsets[0]
        at = next((i for i, s in enumerate(spans) if s.start <= int(answer["start"]) < s.end), None)
        if at is None:
            continue
        span = spans[at]
        start = int(answer["start"]) - span.start
        end = start + len(answer["text"])
        behind = spans[at - 1] if at else None
        previous = text[behind.start:behind.end] if behind and "\n\n" not in text[behind.end:span.start] else ""
        if end <= span.end - span.start:
            out.append(GoldSentence(raw["question"], text[span.start:span.end], previous, start, end,
                                    tuple(raw["answers"]), raw["article"]))
    return out


def _labels(encoding: Any, gold: GoldSentence) -> tuple[list[int], int, int]:
    """The sentence's token positions and the answer's first and last token (-100: cut off by truncation)."""
    positions = sentence_tokens(encoding, gold.text)
    first = next((i for i in positions if encoding.offsets[i][1] > gold.start), -100)
    last = max((i for i in positions if encoding.offsets[i][0] < gold.end), default=-100)
    return (positions, first, last) if -100 not in (first, last) and first <= last else (positions, -100, -100)


def train(golds: list[GoldSentence], out: Path | None = None, epochs: int = 5, batch_size: int = 16,
          learning_rate: float = 1e-4, head_rate: float = 1e-3, seed: int = SEED, checker: Path = SHIPPED) -> Any:
    """Fine-tune the reader from ``checker``'s layers; save it (checker.packed) at ``out`` when given.
    Returns the torch network. The rates and epochs: trained on one half of the training articles, judged
    on the other half (exact match of the read span, benchmarks/DECISIONS.md): 49.0% at five epochs and
    1e-4, 46.3% at 5e-5, 47.6% at eight epochs and 5e-5."""
    import torch
    from safetensors.torch import load_file

    random.seed(seed)
    torch.manual_seed(seed)
    model = network(spans=True)
    trained = unpacked(load_file(str(checker)))
    model.upper.load_state_dict({k.removeprefix("upper."): v for k, v in trained.items() if k.startswith("upper.")})
    encodings = tokenizer().encode_batch([(g.question, pair_text(g.text, g.previous)) for g in golds])
    order = sorted(range(len(golds)), key=lambda i: len(encodings[i].ids))  # batches of like length
    cached = []
    with torch.no_grad():
        for rows in (order[i:i + batch_size] for i in range(0, len(order), batch_size)):
            arrays = {k: torch.from_numpy(v) for k, v in token_arrays([encodings[i] for i in rows]).items()}
            allowed = torch.zeros(arrays["input_ids"].shape, dtype=torch.bool)
            firsts, lasts = [], []
            for row, i in enumerate(rows):
                positions, first, last = _labels(encodings[i], golds[i])
                allowed[row, positions] = True
                firsts.append(first)
                lasts.append(last)
            hidden = model.lower(arrays["input_ids"], arrays["attention_mask"], arrays["token_type_ids"])
            cached.append((hidden.half(), arrays["attention_mask"], allowed, torch.tensor(firsts), torch.tensor(lasts)))
    optimiser = torch.optim.AdamW([{"params": model.upper.parameters(), "lr": learning_rate},
                                   {"params": model.head.parameters(), "lr": head_rate}], weight_decay=0.01)
    steps = epochs * len(cached)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: max(0.0, (steps - step) / steps))
    cross_entropy = torch.nn.CrossEntropyLoss(ignore_index=-100)
    model.upper.train()
    for epoch in range(epochs):
        total = 0.0
        for number in random.sample(range(len(cached)), len(cached)):
            hidden, mask, allowed, starts, ends = cached[number]
            logits = model.top(hidden.float(), mask).masked_fill(~allowed[..., None], -1e4)
            loss = cross_entropy(logits[..., 0], starts) + cross_entropy(logits[..., 1], ends)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach())
        log.info("reader epoch %d: loss %.4f", epoch + 1, total / len(cached))
    model.eval()
    if out is not None:
        save_top(model, out)
    return model


def readings(model: Any, golds: list[GoldSentence]) -> list[tuple[str, float]]:
    """What ``model`` reads in each gold sentence: the span's text and its probability."""
    import torch

    encode = tokenizer()
    out = []
    for begin in range(0, len(golds), 64):
        batch = golds[begin:begin + 64]
        encodings = encode.encode_batch([(g.question, pair_text(g.text, g.previous)) for g in batch])
        arrays = {k: torch.from_numpy(v) for k, v in token_arrays(encodings).items()}
        with torch.no_grad():
            logits = model(arrays["input_ids"], arrays["attention_mask"], arrays["token_type_ids"]).numpy()
        for gold, encoding, row in zip(batch, encodings, logits):
            found = best_read(row, encoding, gold.text)
            out.append((gold.text[found.start:found.end], found.probability) if found else ("", 0.0))
    return out


def choose_cut(golds: list[GoldSentence], read: list[tuple[str, float]]) -> tuple[float, dict]:
    """The lowest cut at which the reader, where the rules give no short answer, is exactly right at least
    as often as the rules are where they give one; and what each side measured."""
    rules = [_rules_span(g) for g in golds]
    given = [(exact_match(r.text, list(g.answers))) for g, r in zip(golds, rules) if r is not None]
    target = float(np.mean(given)) if given else 1.0
    consulted = [(exact_match(text, list(g.answers)), p) for g, r, (text, p) in zip(golds, rules, read) if r is None]
    def shown_at(cut: float) -> list[bool]:
        return [hit for hit, probability in consulted if probability >= cut]

    cut = next((c for c in CUTS if shown_at(c) and np.mean(shown_at(c)) >= target), 1.0)
    shown = shown_at(cut)
    both = sum(given) + sum(shown)
    measured = {"sentences": len(golds), "rules_given": len(given), "rules_exact_when_given": round(target, 4),
                "reader_consulted": len(consulted), "reader_shown": len(shown),
                "reader_exact_when_shown": round(float(np.mean(shown)), 4) if shown else None,
                "exact_match_rules": round(sum(given) / max(len(golds), 1), 4),
                "exact_match_rules_then_reader": round(both / max(len(golds), 1), 4),
                "exact_match_reader_alone": round(float(np.mean([exact_match(t, list(g.answers))
                                                                  for g, (t, _) in zip(golds, read)])), 4)}
    return cut, measured


def train_reader(questions: Path, articles: Path, out: Path = FITTED_READER.parent, limit: int | None = None,
                 epochs: int = 5, checker: Path = SHIPPED) -> dict:
    """The reader's cut out of fold, then the shipped reader on every article, both from ``checker``'s layers:
    writes ``reader.safetensors`` and ``reader.json`` in ``out`` and returns what was measured."""
    began = time.perf_counter()
    golds = gold_sentences(questions, articles, limit)
    articles_seen = sorted({g.article for g in golds})
    held = set(articles_seen[1::2])  # as fit.folds halves the articles
    inside = [g for g in golds if g.article not in held]
    outside = [g for g in golds if g.article in held]
    if not inside or not outside:
        raise BadValueError(f"{questions}: the span reader needs answerable questions with answer_offsets "
                            f"on at least two articles ({len(golds)} found on {len(articles_seen)})")
    cut, measured = choose_cut(outside, readings(train(inside, epochs=epochs, checker=checker), outside))
    log.info("reader cut %.2f: %s", cut, measured)
    out.mkdir(parents=True, exist_ok=True)
    train(golds, out / SHIPPED_READER.name, epochs=epochs, checker=checker)
    provenance = {"fitted_on": f"{questions.parent.name}/{questions.name} alone (make train: squad2-train)",
                  "command": "make train", "seed": SEED, "epochs": epochs, "sentences": len(golds),
                  "measured_out_of_fold": measured, "seconds": round(time.perf_counter() - began, 1)}
    (out / FITTED_READER.name).write_text(json.dumps({"threshold": cut, "provenance": provenance}, indent=1) + "\n",
                                          encoding="utf-8")
    return {"threshold": cut, **provenance}
