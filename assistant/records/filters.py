"""The filters a question may carry (sources, a date range) and the ``as_of`` day: used by the store,
retrieval, the CLI and the web chat."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import BadValueError
from .dates import date_number, normalize_date

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")  # "2024" or "2024-12": a whole year or month


def _normalized_bound(name: str, value: str) -> str:
    """A bound as YYYY, YYYY-MM or YYYY-MM-DD; any date the loader reads is accepted ("Dec 13, 2024")."""
    value = value.strip()
    match = PARTIAL_DATE.match(value)
    if match:
        year, month = match.groups()
        if month and not 1 <= int(month) <= 12:
            raise BadValueError(f"{name}={value!r} is not a date like 2024-12-31")
        return f"{year}-{int(month):02d}" if month else year
    try:
        normalized = normalize_date(value)
    except ValueError:
        normalized = None
    if normalized is None:
        raise BadValueError(f"{name}={value!r} is not a date like 2024-12-31")
    return normalized


@dataclass(frozen=True)
class Filters:
    """Keep passages of these sources (publisher, article id or file) and dates (inclusive).

    Dates may be whole years ("2024") or months ("2024-12"); other spellings are normalised.
    """

    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(s.strip() for s in self.sources if s and s.strip()))
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _normalized_bound(name, str(value)))
        lowest, highest = (self.lowest, self.highest) if self.since and self.until else (None, None)
        if lowest is not None and highest is not None and lowest > highest:
            raise BadValueError(f"since={self.since} is after until={self.until}")

    def __bool__(self) -> bool:
        return bool(self.sources or self.since or self.until)

    @property
    def lowest(self) -> int | None:
        """The first day allowed, as a date number (a whole month or year counts from its start)."""
        return date_number(self.since) if self.since else None

    @property
    def highest(self) -> int | None:
        """The last day allowed, as a date number (a whole month or year counts to its end)."""
        return date_number(self.until, upper=True) if self.until else None

    def where(self) -> dict | None:
        """The same filters as a Chroma ``where`` clause (see the store's metadata)."""
        clauses: list[dict] = []
        if self.sources:
            wanted = list(self.sources)
            clauses.append({"$or": [{"source": {"$in": wanted}}, {"article_id": {"$in": wanted}},
                                    {"file": {"$in": wanted}}]})
        if self.since:
            clauses.append({"date_number": {"$gte": self.lowest}})
        if self.until:
            clauses.append({"date_number": {"$lte": self.highest}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def as_of_date(value: str | date | None) -> date | None:
    """The ``as_of`` option as a day ('2024-12-15', 'Dec 15, 2024', a date); ValueError names a bad one."""
    if value is None or isinstance(value, date):
        return value
    try:
        iso = normalize_date(value)
    except ValueError:
        iso = None
    if not iso:
        raise BadValueError(f"as_of={value!r} is not a date like 2024-12-15")
    return date.fromisoformat(iso)
