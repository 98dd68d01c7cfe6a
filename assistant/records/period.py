"""The dates a question was limited to, as the answer carries them (``Answer.period``, ``"period"`` in JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import DatedWords, window_label


@dataclass(frozen=True)
class Period:
    """The dates a question was limited to (``since``/``until`` inclusive, None: open), and why."""

    since: date | None
    until: date | None
    as_of: date | None = None  # given by the user: relative words count from it, later articles are left out
    mentions: tuple[DatedWords, ...] = ()  # the question's words that narrowed the dates (ignored ones: in the note)

    def label(self) -> str:
        """'Articles from 9–15 Dec 2024', 'Articles since 2 Dec 2024'."""
        both = self.since is not None and self.until is not None
        return f"Articles {'from ' if both else ''}{window_label(self.since, self.until)}"
