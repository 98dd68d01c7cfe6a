"""Sources that disagree: dated articles that answer the same question with different figures, dates or names.

News moves and outlets differ ("five dead", said one paper on Wednesday; "six", said another). Picking one
silently would hide that, so every version is cited with its date and publisher, newest first: outlets that
differ on the newest day are "sources differ", the figures of earlier days how it moved ("up from seven"). Only dated
articles count (an undated document set is not news, and two paragraphs of one article are not two
sources), and only sentences that answer the question well enough to be cited themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..records.answer import Citation
from ..records.dates import date_number
from ..records.versions import Disagreement, Version
from ..text.lexicon import SCALES, SMALL_NUMBERS, TENS
from ..text.terms import terms
from .evidence import Candidate, Sentence, coverage, weighted_terms
from .kinds import KINDS
from .question import Kind, Question

FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
COUNT_TERMS = frozenset(t for noun in KINDS[Kind.NUMBER].nouns for t in terms(noun))  # "toll": a count
SAME_QUESTION = 0.6  # share of the question's (weighted) words a sentence and its context must say


def answers_the_same(question: Question, sentence: Sentence) -> bool:
    """Does the sentence speak of what was asked, not just hold a span of its kind? It names the asked noun
    ("toll" in "the death toll"), says the asked verb ("who opened"), and, with the sentence before it and its
    title, most of the question's words:
    "the review of 14 bridges" holds a number, but not the toll, and "Varga wrote the report" a name, but
    not the one who ordered the review."""
    if question.head and not any(term in sentence.terms for term in terms(question.head)) \
            and not (question.kind is Kind.NUMBER and sentence.terms & COUNT_TERMS):
        return False
    if question.verb and not set(terms(question.verb)) <= sentence.terms:  # "Who opened an investigation?": a
        return False  # sentence that does not say "opened" names no one who did (a fire chief, the company)
    return coverage(weighted_terms(question), sentence.terms | sentence.context_terms) >= SAME_QUESTION


UNIT_WORD = re.compile(r"\s*(%|[A-Za-z]+)")
MONEY = re.compile(r"[$€£¥]|\b(?:dollars?|euros?|pounds?|yen|francs?|kroner?|crowns?)\b", re.IGNORECASE)


def value_kind(sentence: Sentence, span: Candidate) -> str:
    """What a version is a value of: a share ("6.5 percent"), a sum of money, a count ("320 crew members",
    "eight dead", "six people") or a name. Two versions differ only when they are of one kind: "6.5 percent"
    is no other version of "320 crew members"."""
    value = same_value(span.text)
    if not re.fullmatch(r"[\d.e+]+", value):
        return "name"
    following = sentence.text[span.start:span.end + 12]
    unit = UNIT_WORD.match(sentence.text, span.end)
    if "%" in following or "percent" in span.text.lower() or (unit and unit.group(1).lower() in ("percent", "per")):
        return "share"
    return "money" if MONEY.search(sentence.text[max(0, span.start - 1):span.end + 12]) else "count"


def same_value(text: str) -> str:
    """What two spellings of one answer share: "six" and "6", "1,200" and "1200", "Marta Koss" and "marta koss"."""
    words = text.casefold().replace("-", " ").split()
    total, current, numeric = 0.0, 0.0, bool(words)
    for word in words:
        figure = FIGURE.fullmatch(word)
        if figure:
            current += float(word.replace(",", ""))
        elif word in SMALL_NUMBERS or word in TENS:
            current += SMALL_NUMBERS.get(word, TENS.get(word, 0))
        elif word in SCALES:
            current = max(current, 1.0) * SCALES[word]
            total, current = total + current, 0.0
        elif word not in ("and", "about", "some", "at", "least", "nearly", "almost", "over"):
            numeric = False
            break
    if numeric:
        return f"{total + current:g}"
    return " ".join(text.casefold().split())


def disagreement(question: Question, ranked: list[Sentence], citations: list[Citation], chosen: list[Sentence],
                 pick: Callable[[Sentence], Candidate | None], enough: float, cite: Callable[[int, Sentence], Citation]
                 ) -> Disagreement | None:
    """The versions that dated articles give of the asked thing, when they differ; the citations of versions
    the answer does not cite yet are appended to ``citations``. ``ranked`` in the rules' order, each sentence
    judged by the rules' score against ``enough``: which reports give a version is the rules' reading."""
    best: dict[str, tuple[Sentence, Candidate]] = {}
    heard: set[str] = set()  # articles: each gives one version, its best sentence's
    for sentence in ranked:  # best first: the first sentence of each value stands for it
        article_id = sentence.passage.article_id
        if sentence.rules_score < enough or not sentence.spans or not date_number(sentence.passage.date) \
                or article_id in heard or not answers_the_same(question, sentence):
            continue
        heard.add(article_id)
        span = pick(sentence)
        if span is None:  # none of its spans did what was asked: it gives no version
            continue
        best.setdefault(same_value(span.text), (sentence, span))
    if best:  # only like values differ: "6.5 percent" is no other version of "320 crew members"
        first = value_kind(*next(iter(best.values())))
        best = {value: found for value, found in best.items() if value_kind(*found) == first}
    if len(best) < 2:
        return None
    cited = {s.key: c for s, c in zip(chosen, citations)}
    versions = []
    for sentence, span in best.values():
        citation = cited.get(sentence.key)
        if citation is None:
            citation = cited[sentence.key] = cite(len(citations) + 1, sentence)
            citations.append(citation)
        same = same_value(span.text)
        number = float(same) if re.fullmatch(r"\d+(?:\.\d+)?(?:e\+\d+)?", same) else None
        versions.append(Version(span.text, citation.n, sentence.passage.date, sentence.passage.source,
                                sentence.passage.article_id, same, number))
    versions.sort(key=lambda v: (date_number(v.date) or 0, -v.n), reverse=True)
    lead = pick(chosen[0]) if chosen else None
    return Disagreement(versions, same_value(lead.text) if lead else "")
