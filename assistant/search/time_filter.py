"""What a question's time words and ``as_of`` do to a search: the date filter, and the note that says so.

Relative words never fail a question: one that cannot be read, or that lies outside the dates the user
asked for with since/until, is left out and the note says so. Explicit since/until and the question's
words combine: the narrower bound wins. ``as_of`` is the day relative words count from, and no article
published after it is read, so a user can ask what was known then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from ..errors import BadValueError
from ..records.dates import DatedWords, day_of_number, number_of_day, window_label
from ..records.filters import Filters
from ..records.period import Period


def _tighter(bound: int | None, other: int | None, pick: Callable[[int, int], int]) -> int | None:
    return other if bound is None else bound if other is None else pick(bound, other)


def frame(mentions: list[DatedWords], filters: Filters | None, given_as_of: date | None,
          default: DatedWords | None = None) -> tuple[Filters, Period | None, list[str]]:
    """The filters to search with, the period applied (None: the question named no time and no ``as_of``
    was given), and the notes for the answer (what was applied, what was ignored and why). ``default``: the
    days to use when neither the question nor the filters name any ("What's new?": the past 7 days)."""
    filters = filters or Filters()
    lowest, highest = filters.lowest, filters.highest
    if given_as_of:
        highest = _tighter(highest, number_of_day(given_as_of), min)
    if lowest is not None and highest is not None and lowest > highest:
        raise BadValueError(f"since={filters.since} is after as_of={given_as_of}")
    notes: list[str] = []
    applied: list[DatedWords] = []
    for mention in mentions:
        if not mention.resolved:
            notes.append(f"“{mention.text}” is not a date the assistant can read; it was ignored")
            continue
        low = _tighter(lowest, number_of_day(mention.since) if mention.since else None, max)
        high = _tighter(highest, number_of_day(mention.until) if mention.until else None, min)
        if low is not None and high is not None and low > high:
            span = window_label(mention.since, mention.until)
            notes.append(f"“{mention.text}” ({span}) is outside the dates asked for; it was ignored")
            continue
        lowest, highest = low, high
        applied.append(mention)
    if default is not None and not applied and not (filters.since or filters.until) and default.resolved:
        lowest = _tighter(lowest, number_of_day(default.since) if default.since else None, max)
        highest = _tighter(highest, number_of_day(default.until) if default.until else None, min)
    else:
        default = None
    if not applied and not given_as_of and default is None:
        return filters, None, notes
    period = Period(day_of_number(lowest), day_of_number(highest, upper=True), given_as_of, tuple(applied))
    narrowed = replace(filters, since=_iso_or(filters.since, lowest, filters.lowest),
                       until=_iso_or(filters.until, highest, filters.highest, upper=True))
    reasons = [f"“{m.text}”" for m in applied or ([default] if default else [])] + (
        [f"as of {window_label(given_as_of, given_as_of)}"] if given_as_of else [])
    notes.insert(0, f"{period.label()} ({', '.join(reasons)})")
    return narrowed, period, notes


def _iso_or(given: str | None, bound: int | None, given_bound: int | None, upper: bool = False) -> str | None:
    """The user's own bound when it is the one that holds (it may be a month, '2024-12'), else the day."""
    if bound is None or bound == given_bound:
        return given
    return day_of_number(bound, upper).isoformat()

