"""How current an answer is and how broad its evidence: "As of 14 Dec 2024 · 3 articles from 2 publishers,
12–14 Dec 2024", from the dates and publishers of the passages it cites. News changes by the day, so a
reader needs to know which day an answer speaks for; an answer with no dated citation says nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date

from .dates import window_label


@dataclass(frozen=True)
class Coverage:
    """The cited articles' span: ``as_of`` is the newest one's date (ISO), ``earliest`` the oldest's."""

    as_of: str
    earliest: str
    articles: int  # cited articles that carry a date, and their near-duplicates in other outlets (stories.py)
    publishers: int  # distinct publishers among them (0: none named)
    undated: int = 0  # cited articles without a date, not counted above

    def line(self) -> str:
        """One line for people, shown under the answer on the page, in the terminal and in the API."""
        newest, oldest = date.fromisoformat(self.as_of), date.fromisoformat(self.earliest)
        evidence = f"{self.articles} article{'s' if self.articles != 1 else ''}"
        if self.publishers:
            evidence += f" from {self.publishers} publisher{'s' if self.publishers != 1 else ''}"
        if self.undated:
            evidence += f" (and {self.undated} undated)"
        return f"As of {window_label(newest, newest)} · {evidence}, {window_label(oldest, newest)}"

    def to_dict(self) -> dict:
        return asdict(self) | {"line": self.line()}


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
    return Coverage(as_of=days[-1], earliest=days[0], articles=len(dated), publishers=len(publishers),
                    undated=len(undated))
