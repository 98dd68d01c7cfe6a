"""The span reader: the short answer where the rules find none of the asked kind.

The rules pick a short answer among the spans of the asked kind they find (short.py); a "what" question
asks for no kind they know, and some sentences hold the answer in words no pattern finds. The reader is
a network of the checker's shape (the bundled lower layers, two fine-tuned layers, checker.py) with a head
that gives every token of the sentence a start and an end logit, trained on the gold sentences of
squad2-train (reader_training.py). It reads one sentence, the first cited, and only when the rules give
nothing; its span is shown when its probability reaches the cut chosen on the training set, where the
reader is as often exactly right as the rules are when they answer (``reader.json``, with what it measured).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadValueError
from .checker import Readable, ShippedNetwork

SHIPPED_READER = Path(__file__).with_name("reader.safetensors")
FITTED_READER = Path(__file__).with_name("reader.json")
LONGEST = 15  # tokens in a short answer, at most


@dataclass(frozen=True)
class ReadSpan:
    """A span of the sentence read (character offsets in its text) and how likely it is the answer."""

    start: int
    end: int
    probability: float


def sentence_tokens(encoding: Any, sentence: str) -> list[int]:
    """The positions of the tokens of the sentence itself: the pair's second text, before the sentence
    behind it (checker.pair_text puts the sentence first)."""
    return [i for i, (sequence, (start, end)) in enumerate(zip(encoding.sequence_ids, encoding.offsets))
            if sequence == 1 and start < end <= len(sentence)]


def _softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


def best_read(logits: np.ndarray, encoding: Any, sentence: str, longest: int = LONGEST) -> ReadSpan | None:
    """The most likely span of ``sentence`` from a ``[sequence, 2]`` start/end logit array: the pair of
    start and end token (the end not before the start, at most ``longest`` tokens apart) whose start and end
    probabilities, each a softmax over the sentence's tokens, multiply to the most."""
    positions = sentence_tokens(encoding, sentence)
    if not positions:
        return None
    starts, ends = _softmax(logits[positions, 0]), _softmax(logits[positions, 1])
    n = len(positions)
    joint = np.triu(np.outer(starts, ends))
    joint -= np.triu(joint, longest)  # keep the end less than ``longest`` tokens after the start
    first, last = divmod(int(joint.argmax()), n)
    start, end = encoding.offsets[positions[first]][0], encoding.offsets[positions[last]][1]
    return ReadSpan(start, end, float(joint[first, last]))


@dataclass(frozen=True)
class ReaderGate:
    """The cut under which a read span is not shown, and where it came from (``reader.json``)."""

    threshold: float
    provenance: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise BadValueError(f"span reader: threshold={self.threshold} must be between 0 and 1")


def load_gate(path: Path | str = FITTED_READER) -> ReaderGate:
    """The gate saved by ``make train``; a file that cannot be read names itself and the reason."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ReaderGate(float(raw["threshold"]), dict(raw.get("provenance", {})))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BadValueError(f"span reader {path} cannot be read: {error}") from None


class SpanReader(ShippedNetwork):
    """``read(question, sentence)``: the span of the sentence that answers, when the reader is sure enough
    (``gate``), from the int8 export in ``cache_dir`` made on first use from ``shipped``."""

    spans = True

    def __init__(self, cache_dir: Path, shipped: Path = SHIPPED_READER, gate: ReaderGate | None = None) -> None:
        super().__init__(cache_dir, shipped, "span-reader-int8.onnx")
        self.gate = gate if gate is not None else load_gate()

    def read(self, question: str, sentence: Readable) -> ReadSpan | None:
        encodings, logits = self.encoded(question, [sentence])
        found = best_read(logits[0], encodings[0], sentence.text)
        if found is None or found.probability < self.gate.threshold:
            return None
        return found
