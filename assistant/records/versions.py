"""Versions of one fact across sources: what the answer shows when outlets disagree (see answering/disagree.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import day_label


@dataclass(frozen=True)
class Version:
    """One figure, date or name as one article gives it, and the citation that quotes it."""

    value: str  # as the article words it: "six", "8", "Marta Koss"
    n: int  # the [n] citing it
    date: str | None
    publisher: str | None
    article_id: str

    def said(self) -> str:
        where = ", ".join(x for x in (self.publisher, self.date and day_label(self.date)) if x)
        return f"{self.value} [{self.n}]" + (f" ({where})" if where else "")


@dataclass(frozen=True)
class Disagreement:
    """Different versions of what was asked, newest first."""

    versions: list[Version] = field(default_factory=list)

    def line(self) -> str:
        """'Sources differ: eight [1] (Coastal Herald, 14 Dec 2024); six [3] (…)': shown with the answer."""
        return "Sources differ: " + "; ".join(v.said() for v in self.versions)
