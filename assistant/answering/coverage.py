"""How current an answer is and how broad its evidence, from the dates and publishers of what it cites
(its citations and the other outlets that carried the same story)."""

from __future__ import annotations

from collections.abc import Iterable

from ..records.answer import Answer
from ..records.coverage import Coverage


def answer_coverage(answer: Answer) -> Coverage | None:
    """The coverage of an answer's citations; None when none is dated."""
    return coverage_of([(c.article_id, c.date, c.publisher) for c in answer.citations]
                       + [(k.article_id, k.date, k.source) for c in answer.citations for k in c.carried_by])


def coverage_of(cited: Iterable[tuple[str, str | None, str | None]]) -> Coverage | None:
    """From each citation's (article id, date, publisher); None when none is dated (an undated answer
    carries no "as of" line)."""
    dated: dict[str, tuple[str, str | None]] = {}
    undated: set[str] = set()
    for article_id, day, publisher in cited:
        if day:
            dated[article_id] = (day, publisher)
        else:
            undated.add(article_id)
    if not dated:
        return None
    days = sorted(day for day, _ in dated.values())
    publishers = {publisher.strip().casefold() for _, publisher in dated.values() if publisher and publisher.strip()}
    return Coverage(newest=days[-1], earliest=days[0], articles=len(dated), publishers=len(publishers),
                    undated=len(undated))
