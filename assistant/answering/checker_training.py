"""Fine-tuning the answer checker (checker.py) on the training examples (training.py).

Pairs: each question with the rules' candidates (those that hold a gold answer are positives), the
sentence of its paragraph that holds the answer, and the same question's candidates with its own
paragraph left out (negatives, all). The bundled lower layers are frozen, so their output is computed
once per pair and only the top layer and head are trained, for a few epochs over those cached states:
about six times less work a pass than fine-tuning the whole model, which is what fits two CPU cores.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

from ..embedders.onnx_runtime import token_arrays
from .checker import network, pair_text, save_top, tokenizer
from .training import SEED, Asked

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pair:
    question: str
    sentence: str
    previous: str
    answers: bool


def pairs_of(asked: list[Asked], negatives: int = 3) -> list[Pair]:
    """Every positive candidate and gold sentence, and each question's ``negatives`` best-ranked wrong ones
    (the hard ones: they read like answers)."""
    pairs: dict[tuple[str, str], Pair] = {}
    for item in asked:
        wrong = 0
        for candidate in item.candidates:
            if not candidate.answers:
                if wrong >= negatives:
                    continue
                wrong += 1
            pairs.setdefault((item.question, candidate.text),
                             Pair(item.question, candidate.text, candidate.previous, candidate.answers))
        if item.gold_sentence is not None:
            previous, text = item.gold_sentence
            pairs.setdefault((item.question, text), Pair(item.question, text, previous, True))
    return list(pairs.values())


def train(pairs: list[Pair], out: Path, epochs: int = 2, batch_size: int = 32, learning_rate: float = 2e-4,
          head_rate: float = 1e-3, seed: int = SEED) -> dict:
    """Fine-tune, save the top layers and head (checker.packed) as safetensors at ``out``; returns what it did.
    The rates: the best of three tried on one half of the training articles, judged on the other half
    (AUC of held-out pairs; the bundled layers' own rate, 5e-5, barely moved the loss)."""
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    began = time.perf_counter()
    model = network()
    encodings = tokenizer().encode_batch([(p.question, pair_text(p.sentence, p.previous)) for p in pairs])
    order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))  # batches of like length: little padding
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    cached = []
    with torch.no_grad():
        for rows in batches:
            arrays = {k: torch.from_numpy(v) for k, v in token_arrays([encodings[i] for i in rows]).items()}
            hidden = model.lower(arrays["input_ids"], arrays["attention_mask"], arrays["token_type_ids"])
            labels = torch.tensor([float(pairs[i].answers) for i in rows])
            cached.append((hidden.half(), arrays["attention_mask"], labels))
    lowered = time.perf_counter() - began
    positives = sum(p.answers for p in pairs)
    loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(pairs) - positives) / max(positives, 1)))
    optimiser = torch.optim.AdamW([{"params": model.upper.parameters(), "lr": learning_rate},
                                   {"params": model.head.parameters(), "lr": head_rate}], weight_decay=0.01)
    steps = epochs * len(cached)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(1.0, (step + 1) / (0.1 * steps))
                                                 * max(0.0, (steps - step) / steps))
    model.upper.train()
    losses = []
    for epoch in range(epochs):
        total = 0.0
        for number in random.sample(range(len(cached)), len(cached)):
            hidden, mask, labels = cached[number]
            loss = loss_of(model.top(hidden.float(), mask), labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach())
        losses.append(round(total / len(cached), 4))
        log.info("checker epoch %d: loss %.4f", epoch + 1, losses[-1])
    save_top(model, out)
    return {"pairs": len(pairs), "positives": positives, "epochs": epochs, "losses": losses,
            "seconds_lower": round(lowered, 1), "seconds": round(time.perf_counter() - began, 1)}
