"""Dates as news sources write them, normalised to ISO ``YYYY-MM-DD`` (the date as the publisher wrote it)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import overload

from ..errors import BadValueError

MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"), start=1)
    for name in names.split()}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # date.weekday() order
ISO = re.compile(r"^(?:d:)?(\d{4})-?(\d{2})-?(\d{2})(?:$|[t\s_\dz]|[+-]\d)")  # 2024-12-13, 20241213, D:2024121312…
SLASHED = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")  # 2024/12/13
DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b")  # 13.12.2024, the European order
MONTH_FIRST = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")  # December 13, 2024
DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})\b")  # 13 December 2024
WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+")
EARLIEST, LATEST = 1800, 2200  # outside this a "date" is a mistake (or a timestamp in the wrong unit)


def _checked(year: int, month: int, day: int) -> str:
    if not EARLIEST <= year <= LATEST:
        raise BadValueError(f"year {year} is out of range")
    return date(year, month, day).isoformat()  # raises ValueError for 2024-02-30


def _from_timestamp(value: float) -> str:
    if EARLIEST <= value <= LATEST:
        raise BadValueError("a year alone is not a full date")
    seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds, as JavaScript APIs give them
    if abs(seconds) < 1e8:
        raise BadValueError("too small for a Unix timestamp")
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise BadValueError("not a Unix timestamp") from None
    return _checked(moment.year, moment.month, moment.day)


def _from_text(text: str) -> str:
    lowered = WEEKDAY.sub("", text.strip().lower())
    if lowered.isdigit() and len(lowered) in (10, 13):
        return _from_timestamp(int(lowered))
    for pattern in (ISO, SLASHED):
        match = pattern.match(lowered)
        if match:
            return _checked(*(int(g) for g in match.groups()))
    match = DOTTED.match(lowered)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _checked(year, month, day)
    for pattern, order in ((MONTH_FIRST, (2, 0, 1)), (DAY_FIRST, (2, 1, 0))):
        match = pattern.match(lowered)
        if match and match.groups()[order[1]] in MONTHS:
            groups = match.groups()
            return _checked(int(groups[order[0]]), MONTHS[groups[order[1]]], int(groups[order[2]]))
    try:  # RFC 2822, as RSS feeds write dates: "Fri, 13 Dec 2024 10:00:00 GMT"
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise BadValueError("not a date format this reader knows") from None
    return _checked(moment.year, moment.month, moment.day)


def normalize_date(value: object) -> str | None:
    """ISO ``YYYY-MM-DD``, None when there is no date, ValueError when there is one we cannot read.

    Accepts date/datetime objects (YAML front matter), Unix timestamps in seconds or milliseconds,
    ISO 8601, RFC 2822, "December 13, 2024", "13 Dec 2024", "2024/12/13" and "13.12.2024". A time
    zone does not move the day: the publisher's own date is kept.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime | date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise BadValueError("a true/false value is not a date")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # a JSON integer of hundreds of digits
            raise BadValueError("not a Unix timestamp") from None
        return _from_timestamp(number)
    if isinstance(value, str):
        return _from_text(value[:100])
    raise BadValueError(f"a {type(value).__name__} is not a date")


def date_or_warning(value: object) -> tuple[str | None, str | None]:
    """(date, None) or (None, the warning a reader passes on) for a date that cannot be read."""
    try:
        return normalize_date(value), None
    except ValueError as error:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return None, f"has a date {shown} that could not be read ({error}); it was indexed without a date"


def date_number(date: str | None, upper: bool = False) -> int | None:
    """'2024-12-13' -> 20241213, so dates compare as numbers (Chroma filters with $gte/$lte). A year or
    month ('2024-12') counts from its first day, or to its last when ``upper``: 20241200 / 20241299."""
    digits = (date or "").replace("-", "")[:8]
    if not digits.isdigit() or len(digits) < 4:
        return None
    return int(digits.ljust(8, "9" if upper else "0"))


def number_of_day(day: date) -> int:
    """A day as its date number: date(2024, 12, 13) -> 20241213 (see :func:`date_number`)."""
    return day.year * 10000 + day.month * 100 + day.day


@overload
def day_of_number(number: int, upper: bool = False) -> date: ...
@overload
def day_of_number(number: None, upper: bool = False) -> None: ...
@overload
def day_of_number(number: int | None, upper: bool = False) -> date | None: ...
def day_of_number(number: int | None, upper: bool = False) -> date | None:
    """A date number as the day it bounds: 20241200 (a month, from its start) is 1 Dec, 20241299 (to its end)
    31 Dec, 20249999 (a year, to its end) 31 Dec."""
    if number is None:
        return None
    year, month, day = number // 10000, number // 100 % 100, number % 100
    month = month if 1 <= month <= 12 else (12 if upper else 1)
    return date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def day_label(iso: str) -> str:
    """An article's date for people: "2024-12-12" -> "12 Dec 2024"; a partial date ("2024-12") stays as it is."""
    try:
        return _day(date.fromisoformat(iso))
    except ValueError:
        return iso


def window_label(since: date | None, until: date | None) -> str:
    """"9–15 Dec 2024", "28 Nov – 4 Dec 2024", "December 2024", "2024", "since 2 Dec 2024", "until …"."""
    if since is None or until is None:
        return f"since {_day(since)}" if since else f"until {_day(until)}" if until else "any date"
    if since == until:
        return _day(since)
    if (since.month, since.day, until.month, until.day) == (1, 1, 12, 31) and since.year == until.year:
        return str(since.year)
    same_month = (since.year, since.month) == (until.year, until.month)
    if same_month and since.day == 1 and until.day == calendar.monthrange(until.year, until.month)[1]:
        return since.strftime("%B %Y")
    if same_month:
        return f"{since.day}–{_day(until)}"
    if since.year == until.year:
        return f"{since.day} {since:%b} – {_day(until)}"
    return f"{_day(since)} – {_day(until)}"


def _day(day: date) -> str:
    """'14 Dec 2024': unambiguous in every locale, unlike 12/14."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class DatedWords:
    """Words of a text that name a day or a span of days: ``text`` at ``start:end`` (offsets in the question,
    or in the article for a quote's words) means ``since``..``until`` (one day: equal). In a question, both are
    None when the words look like a date that could not be read, and the question goes on without them."""

    text: str
    start: int
    end: int
    since: date | None
    until: date | None

    @property
    def resolved(self) -> bool:
        return self.since is not None or self.until is not None


def iso_or_none(day: date | None) -> str | None:
    """A day as ISO text for JSON and the store; None stays None."""
    return day.isoformat() if day else None


def local_time(stamp: str | None) -> str:
    """An ISO UTC stamp ('2026-11-26T12:58:07.123456+00:00') as this machine's local time, to the minute."""
    if not stamp:
        return "never"
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp
