"""Time words in a question ("last week", "since Monday", "in March 2024"), resolved against a reference day.

A question about facts often names a time that is not when the news was published ("Who coached the
team in 2015?", "How many students attend today?"), and a wrong filter hides the only article that
answers. So the rule is conservative: words that only make sense relative to now ("yesterday", "this
week", "last month", "the past 3 days", "2 weeks ago", "since Monday") always filter; calendar names
("in March", "in 2024", "between 3 and 9 December", "before/after 13 Dec", "today") filter only when
the question asks about the news itself ("what happened", "news", "reported", "said" ...).

Calendar words mean what people mean by them: "this week" is since this Monday, "last week" the Monday to
Sunday before it, "last month" and "last year" the calendar ones before this one; "the past week", "the
last 7 days" and "the past month" are that many days up to the reference day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from ..records.dates import EARLIEST, LATEST, MONTHS, WEEKDAYS, DatedWords, normalize_date
from .lexicon import ONE_TO_TEN, SMALL_NUMBERS

MONTH = rf"(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\b\.?"  # exact names: "in decades" is no date
UNIT = r"(?P<unit>day|week|month|year)s?"
NUMBER = rf"(?P<n>\d{{1,3}}|a|an|{'|'.join(ONE_TO_TEN)}|a few|few|several)"
WORDS = {"a": 1, "an": 1, **{word: SMALL_NUMBERS[word] for word in ONE_TO_TEN}, "a few": 3, "few": 3, "several": 3}
SUFFIX = r"(?:st|nd|rd|th)?"
AGO = re.compile(rf"{NUMBER}\s+{UNIT}\s+ago", re.IGNORECASE)
DAY_MONTH = re.compile(rf"(?:(?P<d>\d{{1,2}}){SUFFIX}\s+(?:of\s+)?(?P<m>{MONTH})|(?P<m2>{MONTH})\s+"
                       rf"(?P<d2>\d{{1,2}}){SUFFIX})(?:,?\s+(?P<y>\d{{4}}))?", re.IGNORECASE)
NOT_A_NOUN_PHRASE = r"(?!'s|\s+of\b)"  # "this year's show", "the last week of the season" name no time
NEWS_QUESTION = re.compile(
    r"\b(?:happen(?:ed|ing|s)?|going on|what(?:'s| is) new|news|headlines?|report(?:ed|s|ing)?|stor(?:y|ies)"
    r"|articles?|develop(?:ed|ments?)|coverage|announc(?:ed|ements?)|say|said|written)\b", re.IGNORECASE)


Window = tuple[date | None, date | None]
Days = tuple[date, date]  # a window with both ends known


def _month_window(year: int, month: int) -> Days:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def _last_weekday(name: str, today: date, before: bool = False) -> date:
    """The latest such weekday on or before ``today`` (strictly before it when ``before``)."""
    back = (today.weekday() - WEEKDAYS.index(name)) % 7
    return today - timedelta(days=back or (7 if before else 0))


def _recent_month(month: int, today: date) -> int:
    """The year of the latest such month that has begun by ``today`` ("in March", said in February)."""
    return today.year if month <= today.month else today.year - 1


def read_date(text: str, today: date) -> Days | None:
    """The days a date phrase covers: "13 Dec 2024" one day, "March" or "March 2024" a month, "2024" a year,
    "Monday" the latest Monday, "3 days ago" that day. A day or month without a year is the latest one by
    ``today``. None: not a date this reader knows (the caller says so)."""
    words = " ".join(text.lower().rstrip("?.!,").split())
    if words in ("today", "yesterday"):
        day = today - timedelta(days=words == "yesterday")
        return day, day
    name = words.removeprefix("last ")
    if name in WEEKDAYS:
        day = _last_weekday(name, today, before=words.startswith("last "))
        return day, day
    ago = AGO.fullmatch(words)
    if ago:
        n, unit = _count(ago)
        if unit in ("day", "week"):  # a day: "since two weeks ago" counts from that day
            return (day := today - timedelta(days=n * (7 if unit == "week" else 1))), day
        return _ago(ago, today)
    if re.fullmatch(r"\d{4}", words) and 1900 <= int(words) <= 2100:
        return date(int(words), 1, 1), date(int(words), 12, 31)
    match = re.fullmatch(rf"({MONTH})(?:,?\s+(?:of\s+)?(\d{{4}}))?", words)
    if match:
        month = MONTHS[match[1].rstrip('.')]
        return _month_window(int(match[2]) if match[2] else _recent_month(month, today), month)
    match = DAY_MONTH.fullmatch(words)
    if match:
        day_text, month_word = (match["d"], match["m"]) if match["d"] else (match["d2"], match["m2"])
        month = MONTHS[month_word.rstrip('.')]
        try:
            if match["y"]:
                return (day := date(int(match["y"]), month, int(day_text))), day
            day = date(today.year, month, int(day_text))
            day = day if day <= today else date(today.year - 1, month, int(day_text))
        except ValueError:  # 31 February
            return None
        return day, day
    try:
        iso = normalize_date(words)
    except ValueError:
        return None
    return (date.fromisoformat(iso),) * 2 if iso else None


def _count(match: re.Match) -> tuple[int, str]:
    n = match["n"].lower()
    return (int(n) if n.isdigit() else WORDS[n]), match["unit"].lower()


def _past(match: re.Match, today: date) -> Days:
    """"the past 3 days", "the last 7 days", "past month": a window that ends today."""
    n, unit = _count(match) if match.groupdict().get("n") else (1, match["unit"].lower())
    days = {"day": n, "week": 7 * n, "month": 30 * n, "year": 365 * n}[unit]
    return today - timedelta(days=days - 1), today


def _ago(match: re.Match, today: date) -> Days:
    n, unit = _count(match)
    if unit == "day":
        return (day := today - timedelta(days=n)), day
    if unit == "week":
        return today - timedelta(days=7 * n + 6), today - timedelta(days=7 * n)
    if unit == "month":
        return _month_window(*_shift_months(today, n))
    return date(today.year - n, 1, 1), date(today.year - n, 12, 31)


def _this(match: re.Match, today: date) -> Days:
    unit = match["unit"].lower()
    if unit == "week":
        return today - timedelta(days=today.weekday()), today
    if unit == "weekend":
        saturday = _last_weekday("saturday", today)
        return saturday, min(saturday + timedelta(days=1), today)
    return (today.replace(day=1) if unit == "month" else today.replace(month=1, day=1)), today


def _last(match: re.Match, today: date) -> Days:
    unit = match["unit"].lower()
    if unit == "month":
        return _month_window(*_shift_months(today, 1))
    if unit == "year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if unit == "weekend":
        saturday = _last_weekday("saturday", today) - timedelta(days=7 if today.weekday() >= 5 else 0)
        return saturday, saturday + timedelta(days=1)  # the last whole weekend
    monday = today - timedelta(days=today.weekday() + 7)  # the week before this one, Monday to Sunday
    return monday, monday + timedelta(days=6)


def _between(match: re.Match, today: date) -> Window | None:
    """"between 3 and 9 December [2024]", "between December 3 and 9", "between 3 December and 9 January".
    Without a year, the first day is the latest by ``today`` and the last day follows it."""
    if match["a"]:
        first_text, last_text = match["a"], match["b"]
        if last_text.isdigit():  # "December 3 and 9": the month of the first day
            month = DAY_MONTH.fullmatch(first_text)
            assert month is not None  # the pattern's "a" is a day and a month, which DAY_MONTH reads
            last_text = f"{last_text} {month['m'] or month['m2']}"
    else:
        first_text, last_text = f"{match['d1']} {match['month']}", f"{match['d2']} {match['month']}"
    first = read_date(f"{first_text} {match['year']}" if match["year"] else first_text, today)
    last = first and read_date(f"{last_text} {first[0].year}", today)
    if first and last and last[1].month < first[0].month and not match["year"]:  # "28 December and 3 January"
        last = read_date(f"{last_text} {first[0].year + 1}", today)
    if not first or not last or first[0] > last[1]:
        return None
    return first[0], last[1]


def _operand(kind: str) -> Callable[[re.Match, date], Window | None]:
    """"since X", "before X", "after X", "in X", "on X": X read by :func:`read_date`, then bounded."""
    def resolve(match: re.Match, today: date) -> Window | None:
        window = read_date(match["date"], today)
        if window is None:
            return None
        if kind == "since":
            return window[0], today
        if kind == "before":
            return None, window[0] - timedelta(days=1)
        if kind == "after":
            return window[1] + timedelta(days=1), None
        return window
    return resolve


THE_PAST = r"\b(?:in|over|during|for|from|within)\s+the\s+(?:past|last)\s+"
NOT_THEIRS = r"(?<!its\s)(?<!his\s)(?<!her\s)(?<!their\s)(?<!our\s)"  # "its last 3 games" is no time
NOT_OWNED = rf"(?<!the\s){NOT_THEIRS}"  # nor is "its last year", "the last week" (of the season)
DAY = rf"\d{{1,2}}{SUFFIX}"
DATE = (rf"(?P<date>(?:last\s+)?(?:{'|'.join(WEEKDAYS)})|{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?"
        rf"|{MONTH}(?:\s+{DAY})?(?:,?\s+(?:of\s+)?\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}|{AGO.pattern})")
RELATIVE_DATE = (rf"(?P<date>(?:last\s+)?(?:{'|'.join(WEEKDAYS)})|{AGO.pattern}|{DAY}\s+(?:of\s+)?{MONTH}"
                 rf"(?:,?\s+\d{{4}})?|{MONTH}\s+{DAY}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})")
# (pattern, resolver, only in a question about the news). Earlier rules win where matches overlap.
RULES: list[tuple[re.Pattern, Callable[[re.Match, date], Window | None], bool]] = [
    (re.compile(pattern, re.IGNORECASE), resolver, gated) for pattern, resolver, gated in [
        (rf"\b(?:between|from)\s+(?:(?P<d1>\d{{1,2}}){SUFFIX}\s+(?:and|to|-|–)\s+(?P<d2>\d{{1,2}}){SUFFIX}\s+"
         rf"(?P<month>{MONTH})|(?P<a>{DAY}\s+{MONTH}|{MONTH}\s+{DAY})\s+(?:and|to|-|–)\s+(?P<b>{DAY}\s+{MONTH}|"
         rf"{MONTH}\s+{DAY}|{DAY}))(?:,?\s+(?P<year>\d{{4}}))?\b", _between, True),
        (rf"{THE_PAST}(?:{NUMBER}\s+)?(?P<unit>day|week|month)s?\b{NOT_A_NOUN_PHRASE}", _past, False),
        (rf"{THE_PAST}{NUMBER}\s+(?P<unit>year)s?\b{NOT_A_NOUN_PHRASE}", _past, True),
        (rf"{NOT_OWNED}\bpast\s+(?:{NUMBER}\s+)?(?P<unit>day|week|month)s?\b{NOT_A_NOUN_PHRASE}", _past, False),
        (rf"{NOT_THEIRS}\blast\s+{NUMBER}\s+(?P<unit>day|week|month)s\b{NOT_A_NOUN_PHRASE}", _past, False),
        (rf"\b(?<!since\s){AGO.pattern}\b", _ago, False),
        (rf"{NOT_OWNED}\bthis\s+(?P<unit>week|weekend|month|year)\b{NOT_A_NOUN_PHRASE}", _this, False),
        (rf"{NOT_OWNED}\blast\s+(?P<unit>week|weekend|month|year)\b{NOT_A_NOUN_PHRASE}", _last, False),
        (r"\byesterday\b", lambda match, today: (today - timedelta(days=1),) * 2, False),
        (rf"\b(?:on\s+|(?=last\s))(?P<date>(?:last\s+)?(?:{'|'.join(WEEKDAYS)}))\b(?!\s+of\b)", _operand("on"), False),
        (rf"\bsince\s+{RELATIVE_DATE}\b", _operand("since"), False),
        (rf"\bsince\s+{DATE}\b", _operand("since"), True),
        (rf"\b(?:before|until|till)\s+{DATE}\b", _operand("before"), True),
        (rf"\bafter\s+{DATE}\b", _operand("after"), True),
        (rf"\b(?:in|during)\s+(?P<date>{MONTH}(?:,?\s+(?:of\s+)?\d{{4}})?|\d{{4}})\b", _operand("in"), True),
        (rf"\bon\s+(?P<date>{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?|{MONTH}\s+{DAY}(?:,?\s+\d{{4}})?)\b",
         _operand("on"), True),
        (r"\b(?:today|tonight)\b", lambda match, today: (today, today), True),
    ]]


def find_mentions(question: str, today: date) -> list[DatedWords]:
    """Every time mention the rules accept in ``question``, in order; unreadable ones unresolved."""
    news = bool(NEWS_QUESTION.search(question))
    found: list[DatedWords] = []
    for pattern, resolver, gated in RULES:
        if gated and not news:
            continue
        for match in pattern.finditer(question):
            if any(m.start < match.end() and match.start() < m.end for m in found):
                continue
            window = resolver(match, today) or (None, None)
            if any(day and not EARLIEST <= day.year <= LATEST for day in window):  # "300 years ago": no news
                window = (None, None)
            found.append(DatedWords(match[0], match.start(), match.end(), *window))
    return sorted(found, key=lambda m: m.start)


RECENT_QUESTION = re.compile(
    r"\b(?:latest|most recent(?:ly)?|newest|recent(?:ly)?|lately|up[- ]to[- ]date|current(?:ly)?|so far|now)\b",
    re.IGNORECASE,
)


def wants_recent(question: str) -> bool:
    """Does the question ask for the latest news ("latest", "most recent", "so far", "now")?"""
    return bool(RECENT_QUESTION.search(question))
