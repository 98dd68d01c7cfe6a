"""Versions of one fact across sources: what the answer shows when outlets disagree or a figure changed
over the days (see answering/disagree.py)."""

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
    same: str = ""  # what two spellings of it share ("six" and "6": "6"), see answering.disagree.same_value
    number: float | None = None  # its value, when it is a figure

    def said(self) -> str:
        where = ", ".join(x for x in (self.publisher, self.date and day_label(self.date)) if x)
        return f"{self.value} [{self.n}]" + (f" ({where})" if where else "")


@dataclass(frozen=True)
class Disagreement:
    """Different versions of what was asked, newest first: outlets that differ on one day, and the figures of
    earlier days (a toll that rose). ``answered``: the version the answer leads with (its ``same``)."""

    versions: list[Version] = field(default_factory=list)
    answered: str = ""

    @property
    def newest(self) -> list[Version]:
        """The versions of the newest day."""
        return [v for v in self.versions if v.date == self.versions[0].date] if self.versions else []

    @property
    def earlier(self) -> list[Version]:
        """The versions of earlier days, newest first."""
        return [v for v in self.versions if v.date != self.versions[0].date]

    @property
    def sources_differ(self) -> bool:
        """Outlets give different values on the newest day (one outlet's two reports are no two sources)."""
        newest = self.newest
        return len({v.same or v.value for v in newest}) > 1 and len({v.publisher for v in newest}) > 1

    def line(self) -> str:
        """'Sources differ: …' between the newest day's outlets, and how the figure moved: 'Up from seven [5]
        (Valley Times, 13 Dec 2024); …', or 'Latest: …; earlier: …' when the answer leads with another."""
        parts = []
        newest, earlier = self.newest, self.earlier
        if self.sources_differ:
            parts.append("Sources differ: " + "; ".join(v.said() for v in newest))
        elif self.answered and newest and (newest[0].same or newest[0].value) != self.answered:
            parts.append("Latest: " + newest[0].said())
        if earlier:
            parts.append(f"{self._moved(newest, earlier)} " + "; ".join(v.said() for v in earlier))
        text = " · ".join(parts)
        return text[:1].upper() + text[1:]

    def _moved(self, newest: list[Version], earlier: list[Version]) -> str:
        """'up from' a figure that only rose, 'down from' one that only fell, else 'earlier:'."""
        now = {v.number for v in newest}
        before = [v.number for v in earlier]
        if len(now) == 1 and None not in now and None not in before and not self.sources_differ:
            current = next(iter(now))
            assert current is not None
            if all(b is not None and current > b for b in before):
                return "up from"
            if all(b is not None and current < b for b in before):
                return "down from"
        return "earlier:"
