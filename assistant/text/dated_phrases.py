"""Relative time in an article ("on Monday evening", "yesterday", "last week") as days, counted from the
article's publish date, so that a cited event carries a date when its sentence does not spell it out.

Only words whose day follows from the publish date alone are read: weekdays with a preposition or a time
of day, yesterday/today/tonight/last night, this/last/next week/month/year, "N days ago". Month names
without a year are not ("is due to report in March" may be next year's). A weekday counts back (news
reports what happened), forward when its clause speaks of the future ("will vote on Friday", "next
Monday"). dateparser's ``search_dates`` was measured for this and left out: 3–90 ms a sentence, and it
reads "may" as May and counts "on Thursday" in a Thursday article back a week.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ..records.dates import WEEKDAYS, DatedWords
from .lexicon import ONE_TO_TEN, SMALL_NUMBERS

DAY_NAME = "|".join(WEEKDAYS)
PART = r"(?:\s+(?:morning|afternoon|evening|night))"
WEEKDAY = re.compile(rf"\b(?:(?P<lead>on|last|this|next|since|until|by|from|said|says|late|early)\s+)?"
                     rf"(?P<day>{DAY_NAME})\b(?P<part>{PART})?", re.IGNORECASE)
NAMED = re.compile(r"\b(?P<word>yesterday|today|tonight|last night|this (?:morning|afternoon|evening))\b",
                   re.IGNORECASE)
PERIOD = re.compile(r"\b(?:earlier\s+)?(?P<which>last|this|next)\s+(?P<unit>week|month|year)\b(?!'s|\s+of\b)",
                    re.IGNORECASE)
AGO = re.compile(rf"\b(?P<n>\d{{1,2}}|{'|'.join(ONE_TO_TEN)})\s+(?P<unit>day|week)s?\s+ago\b",
                 re.IGNORECASE)
FUTURE = re.compile(r"\b(?:will|shall|is due|are due|is expected|are expected|plans? to|scheduled|next)\b",
                    re.IGNORECASE)


def _span(first: date, last: date) -> tuple[date, date]:
    return first, last


def _weekday(match: re.Match, base: date, future: bool) -> tuple[date, date] | None:
    lead, part = (match["lead"] or "").lower(), match["part"]
    if not lead and not part:  # "Black Friday", "Super Tuesday": a name, not a day
        return None
    wanted = WEEKDAYS.index(match["day"].lower())
    if lead == "next" or (future and lead not in ("last", "since", "said", "late", "early")):
        day = base + timedelta(days=(wanted - base.weekday()) % 7 or (7 if lead == "next" else 0))
    else:
        day = base - timedelta(days=(base.weekday() - wanted) % 7 or (7 if lead == "last" else 0))
    return _span(day, day)


def _period(match: re.Match, base: date) -> tuple[date, date]:
    step = {"last": -1, "this": 0, "next": 1}[match["which"].lower()]
    unit = match["unit"].lower()
    if unit == "week":
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        return _span(monday, monday + timedelta(days=6))
    if unit == "year":
        return _span(date(base.year + step, 1, 1), date(base.year + step, 12, 31))
    index = base.year * 12 + base.month - 1 + step
    year, month = index // 12, index % 12 + 1
    return _span(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def dated_phrases(text: str, published: str | None, offset: int = 0) -> list[DatedWords]:
    """The relative dates in ``text`` (a sentence of an article published on ``published``, ISO), with
    their offsets in the article (``offset``: where ``text`` starts in it). None without a publish date."""
    try:
        base = date.fromisoformat(published or "")
    except ValueError:
        return []
    found: list[DatedWords] = []
    for pattern in (PERIOD, AGO, NAMED, WEEKDAY):
        for match in pattern.finditer(text):
            if any(p.start - offset < match.end() and match.start() < p.end - offset for p in found):
                continue
            if pattern is WEEKDAY:  # the clause before the day says whether it is ahead: "…, and will vote on Friday"
                clause = re.split(r"[,;:]", text[:match.start()])[-1]
                window = _weekday(match, base, bool(FUTURE.search(clause)))
            elif pattern is PERIOD:
                window = _period(match, base)
            elif pattern is AGO:
                n = int(match["n"]) if match["n"].isdigit() else SMALL_NUMBERS[match["n"].lower()]
                day = base - timedelta(days=n * (7 if match["unit"].lower() == "week" else 1))
                window = _span(day, day)
            else:
                back = match["word"].lower() in ("yesterday", "last night")
                window = _span(base - timedelta(days=back), base - timedelta(days=back))
            if window:
                found.append(DatedWords(match[0], offset + match.start(), offset + match.end(), *window))
    return sorted(found, key=lambda p: p.start)
