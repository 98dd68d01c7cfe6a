"""The extractive answerer's numbers, each named once, with the measurement that set it.

They were set by hand, one at a time, against squad-dev and squad2-dev (see benchmarks/DECISIONS.md),
so they are the first thing to fit on the training set: ``load_weights`` reads a JSON file of the same
names (any left out keep the value below), and ``ExtractiveAnswerer`` and the rules take a ``Weights``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..errors import BadValueError


@dataclass(frozen=True)
class Weights:
    # How a sentence is ranked: meaning against shared rare words (squad-dev, 2026-11).
    semantic_weight: float = 0.6  # the share of meaning in a sentence's score; the rest is shared words
    context_discount: float = 0.85  # the sentence with the one before it counts at this share of itself
    follow_up_share: float = 0.8  # a follow-up's conversation counts at this share of the question itself
    span_bonus: float = 0.08  # a sentence that holds a span of the asked kind
    no_span_penalty: float = 0.04  # one that holds none
    counted_bonus: float = 0.04  # a number that counts what "how many" asks for
    shortfall_weight: float = 0.1  # each unit of what a sentence lacks (below) lowers its score by this
    margin: float = 0.08  # cited beside the best: sentences within this of its score
    abstain_below: float = 0.5  # no sentence this good: "the indexed articles don't say" (setting abstain_below)
    # What a sentence lacks (evidence.lacks), in units of shortfall_weight (squad2-dev abstention).
    specific_below: float = 4.0  # Zipf frequency under which a question word is a specific the answer must share
    decisive: float = 10.0  # a lack that decides: a name no retrieved passage holds, a contrary word
    missing_name: float = 1.0  # a name of the question the sentence, its context and its passage lack
    missing_name_in_passage: float = 0.5  # ... that its passage holds elsewhere
    missing_number: float = 0.6  # a number of the question
    missing_word: float = 0.35  # a rare word of the question (one paraphrased word does not refuse)
    missing_degree: float = 0.6  # "largest", "first" asked, not said
    missing_negation: float = 0.6  # "not" asked, not said
    missing_person: float = 0.3  # "who" without a name: often answered by a description
    missing_place_or_name: float = 0.6  # "where", "which X" without a name
    missing_time_but_era: float = 1.5  # "when" answered by an era or a span of years, but no date
    # The short answer: which span of the cited sentence (squad-dev short exact match).
    asked_words_penalty: float = 1.5  # a span made of the question's own words repeats it
    head_bonus: float = 1.0  # a span that says the asked noun ("Levi's Stadium" for "which stadium")
    locative_place_bonus: float = 1.0  # a place after "in", "at", "from"
    person_full_name_bonus: float = 0.5  # a person named in two words or more
    person_locative_penalty: float = 1.0  # a "who" span after "in", "at": a place more likely
    person_thing_penalty: float = 1.0  # a "who" span that names an event, a prize or a place


def load_weights(path: Path | str) -> Weights:
    """Weights from a JSON object of the names above (say, fitted on squad2-train); a name that is not one
    of them is refused, naming it."""
    path = Path(path)
    try:
        given = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BadValueError(f"weights file {path} cannot be read: {error}") from None
    known = {f.name for f in fields(Weights)}
    if not isinstance(given, dict) or set(given) - known:
        wrong = sorted(set(given) - known) if isinstance(given, dict) else ["(not an object)"]
        raise BadValueError(f"weights file {path}: {wrong[0]!r} is not a weight of the answerer")
    return replace(WEIGHTS, **{name: float(value) for name, value in given.items()})


WEIGHTS = Weights()
