"""How current an answer is and how broad its evidence: "As of 14 Dec 2024 · 3 articles from 2 publishers,
12–14 Dec 2024" (made from the cited passages by ``answering.coverage``). News changes by the day, so a
reader needs to know which day an answer speaks for; an answer with no dated citation says nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import window_label


@dataclass(frozen=True)
class Coverage:
    """The cited articles' span: ``newest`` is the newest one's date (ISO), ``earliest`` the oldest's."""

    newest: str
    earliest: str
    articles: int  # cited articles that carry a date, and their near-duplicates in other outlets (stories.py)
    publishers: int  # distinct publishers among them (0: none named)
    undated: int = 0  # cited articles without a date, not counted above

    def line(self) -> str:
        """One line for people, shown under the answer on the page, in the terminal and in the API."""
        newest, oldest = date.fromisoformat(self.newest), date.fromisoformat(self.earliest)
        evidence = f"{self.articles} article{'s' if self.articles != 1 else ''}"
        if self.publishers:
            evidence += f" from {self.publishers} publisher{'s' if self.publishers != 1 else ''}"
        if self.undated:
            evidence += f" (and {self.undated} undated)"
        return f"As of {window_label(newest, newest)} · {evidence}, {window_label(oldest, newest)}"
