"""The one JSON edge: an answer and its records as the command line's ``--json``, the APIs and MCP write
them. Records hold data; how they read as JSON, and the names kept for older clients, live here alone."""

from __future__ import annotations

from dataclasses import asdict

from .answer import Answer, Citation
from .coverage import Coverage
from .dates import DatedWords, iso_or_none
from .period import Period
from .versions import Disagreement

# Keys kept for one more release beside the key that replaced them: old key -> the key it repeats.
# "as_of" was the newest cited article's date; the user's reference day is the period's "as_of".
ANSWER_ALIASES = {"as_of": "newest_cited"}
COVERAGE_ALIASES = {"as_of": "newest"}
CITATION_ALIASES = {"source": "article_id"}  # a citation's article (who published it is "publisher")


def answer_dict(answer: Answer) -> dict:
    data = {
        "answer": answer.text,
        "short_answer": asdict(answer.short_answer) if answer.short_answer else None,
        "abstained": answer.abstained,
        "note": answer.note,
        "newest_cited": answer.coverage.newest if answer.coverage else None,
        "coverage": coverage_dict(answer.coverage) if answer.coverage else None,
        "period": period_dict(answer.period) if answer.period else None,
        "disagreements": [disagreement_dict(d) for d in answer.disagreements],
        "timeline": [asdict(e) for e in answer.timeline],
        "briefing": [asdict(s) for s in answer.briefing],
        "unverified": answer.unverified,
        "citations": [citation_dict(c) for c in answer.citations],
    }
    return with_aliases(data, ANSWER_ALIASES)


def citation_dict(citation: Citation) -> dict:
    return with_aliases({
        "n": citation.n, "title": citation.title, "article_id": citation.article_id, "quote": citation.quote,
        "start": citation.start, "end": citation.end, "score": citation.score, "date": citation.date,
        "url": citation.url, "publisher": citation.publisher, "page": citation.page, "verified": citation.verified,
        "dates": [dated_words_dict(d) for d in citation.dates],
        "also_carried_by": [{"article_id": c.article_id, "title": c.title, "publisher": c.source, "date": c.date,
                             "url": c.url} for c in citation.carried_by],
    }, CITATION_ALIASES)


def coverage_dict(coverage: Coverage) -> dict:
    return with_aliases(asdict(coverage) | {"line": coverage.line()}, COVERAGE_ALIASES)


def period_dict(period: Period) -> dict:
    return {"since": iso_or_none(period.since), "until": iso_or_none(period.until), "as_of": iso_or_none(period.as_of),
            "label": period.label(), "mentions": [dated_words_dict(m) for m in period.mentions]}


def disagreement_dict(disagreement: Disagreement) -> dict:
    return asdict(disagreement) | {"sources_differ": disagreement.sources_differ, "line": disagreement.line()}


def dated_words_dict(words: DatedWords) -> dict:
    return {"text": words.text, "start": words.start, "end": words.end, "since": iso_or_none(words.since),
            "until": iso_or_none(words.until)}


def with_aliases(data: dict, aliases: dict[str, str]) -> dict:
    """``data`` with each deprecated key beside the key it repeats (same value)."""
    return data | {old: data[new] for old, new in aliases.items()}
