"""The kinds of thing a question may ask for, as one table. Each row says which nouns ask for it ("which
city"), how its spans are found in a sentence, what a sentence without such a span loses, whether a list
of names may answer it, and how the short answer's span is preferred. A new kind is a new row here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..records.query import Kind, Question
from ..text.lexicon import PLACE_NOUNS
from .roles import any_span, doers, located
from .spans import Candidate, dates, names, numbers, people, places
from .weights import WEIGHTS, Weights

# Named eras and spans of years: a "when" answered by one of these is a weak answer, not none.
TIME_EXPRESSION = re.compile(
    r"\b(?:[A-Z]\w+\s+)*(?:War|Period|Era|Age|Ages|Dynasty|Revolution|Reign)\b|\b\d{1,2}:\d{2}\b"
    r"|\b\d[\d,.]*\s*\(?(?:years?|yr|BP|BC|AD|BCE|CE|MBP|million)\b")
PERIOD_NOUNS = frozenset("period time era age season".split())
THINGS = frozenset("Bowl Game Games Championship Championships Cup Award Awards Prize Trophy Medal Stadium Arena "
                   "Center Centre Park Bridge River Street Road Avenue Day Week War Festival Season Tournament "
                   "Olympics Series".split())  # words that name a thing, not a person or a team


def _missing_time(question: Question, sentence: str, weights: Weights) -> float:
    """"when" needs a time: a sentence with none does not answer, unless it names an era or a span of years
    ("13,000 BP", "World War I"; for "what period", a name)."""
    era = question.head in PERIOD_NOUNS and bool(names(sentence))
    return weights.missing_time_but_era if era or TIME_EXPRESSION.search(sentence) else weights.decisive


def names_a_thing(text: str) -> bool:
    """"Super Bowl 50", "AFC Championship Game", "Levi's Stadium": an event, a prize or a place, not who."""
    return any(word in THINGS for word in text.split())


def _person_closeness(candidate: Candidate, weights: Weights) -> float:
    return (weights.person_full_name_bonus * (" " in candidate.text)
            - weights.person_locative_penalty * candidate.locative
            - weights.person_thing_penalty * names_a_thing(candidate.text))


def _place_closeness(candidate: Candidate, weights: Weights) -> float:
    return weights.locative_place_bonus if candidate.locative else 0.0


@dataclass(frozen=True)
class KindRule:
    nouns: frozenset[str]  # the nouns after "what"/"which" that ask for it ("what year", "which city")
    spans: Callable[[str], list[Candidate]]  # its spans in a sentence
    missing: Callable[[Question, str, Weights], float]  # what a sentence with no such span loses
    several: bool = False  # "who were…", a plural head: a list of names may answer
    closeness: Callable[[Candidate, Weights], float] = lambda candidate, weights: 0.0  # its span, preferred
    fitting: Callable[[Question, str, list[Candidate]], list[Candidate]] = any_span  # the spans whose role answers


# The nouns after "what"/"which" that ask for each kind, tried in this order: the first that holds the
# question's head noun is its kind ("what year": a date; "which venue": a place).
NOUNS = {
    Kind.DATE: "year years date day days month months century centuries decade decades time era season week "
               "weekday period",
    Kind.NUMBER: "number numbers percentage percent amount population size length height age total score cost "
                 "price rate distance depth width area-size count sum share toll death deaths tally turnout "
                 "casualties fatalities injuries victims",
    Kind.PLACE: " ".join(sorted(PLACE_NOUNS)),
    Kind.PERSON: "person people man men woman women player players president leader leaders coach spokesperson "
                 "spokesman spokeswoman official officials author expert analyst minister king queen emperor "
                 "director founder chief owner member members officer singer actor writer scientist",
    Kind.NAME: "",  # which/what + any other noun: a proper name of that thing
}


def _costs(name: str) -> Callable[[Question, str, Weights], float]:
    """A kind whose missing span always costs the weight ``name``."""
    return lambda question, sentence, weights: getattr(weights, name)


def _rule(kind: Kind, spans: Callable[[str], list[Candidate]], missing: Callable[[Question, str, Weights], float],
          **more: Any) -> KindRule:
    return KindRule(frozenset(NOUNS[kind].split()), spans, missing, **more)


KINDS: dict[Kind, KindRule] = {
    Kind.DATE: _rule(Kind.DATE, dates, _missing_time),
    Kind.NUMBER: _rule(Kind.NUMBER, numbers, _costs("decisive")),  # "how many" needs a number
    Kind.PLACE: _rule(Kind.PLACE, places, _costs("missing_place_or_name"), several=True, closeness=_place_closeness,
                      fitting=located),
    Kind.PERSON: _rule(Kind.PERSON, people, _costs("missing_person"), several=True, closeness=_person_closeness,
                       fitting=doers),
    # a sentence without a name may still describe the thing asked for
    Kind.NAME: _rule(Kind.NAME, names, lambda question, sentence, weights: 0.0, several=True),
}


def kind_of_noun(noun: str) -> Kind | None:
    """The kind a head noun asks for ("venue": a place), if any row names it."""
    return next((kind for kind, rule in KINDS.items() if noun in rule.nouns), None)


def spans_of(sentence: str, kind: Kind) -> list[Candidate]:
    """Spans of the asked kind in a sentence."""
    return KINDS[kind].spans(sentence)


def missing_cost(question: Question, sentence: str, weights: Weights = WEIGHTS) -> float:
    """How much a sentence that holds no span of the asked kind lacks (0: it may still answer)."""
    return KINDS[question.kind].missing(question, sentence, weights) if question.kind else 0.0
