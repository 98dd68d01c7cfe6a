"""Why an answer may be missing, said in its note: a date range that hid undated articles, a relative date
("on Wednesday") counted from today over articles from another year, a source no article has, a question
the model cannot read."""

from __future__ import annotations

from typing import cast

from ..records.article import file_of
from ..records.dates import date_number, day_label
from ..records.filters import Filters
from ..records.period import Period
from ..records.query import Intent, Query
from ..settings import DEFAULT_MODEL, Settings
from ..store.manifest import Manifest

MAX_LISTED = 8  # publishers named in the note; more are counted
NEWEST_DAYS = 3  # days named for a briefing whose period holds no article


class AnswerHints:
    """Reads the manifest once a question (its article dates) and says what hid or may have hidden an answer."""

    def __init__(self, settings: Settings, filters: Filters | None) -> None:
        self.settings = settings
        dated = filters and (filters.since or filters.until)
        self.dates = Manifest.dates(settings.manifest_path) if dated else []
        self.sources = filters.sources if filters else ()
        self.articles = Manifest.load(settings.manifest_path).articles if self.sources else {}

    def unknown_sources(self) -> str:
        """'no indexed article is from “Nowhere” …', naming the publishers there are, for a source filter that
        matches no article's publisher, id or file (a typo, or a feed not yet fetched)."""
        known = {name for article_id, entry in self.articles.items()
                 for name in (entry.source, article_id, file_of(article_id)) if name}
        unknown = [s for s in self.sources if s not in known]
        if not unknown:
            return ""
        publishers = sorted({e.source for e in self.articles.values() if e.source})
        listed = ", ".join(publishers[:MAX_LISTED]) + (f" and {len(publishers) - MAX_LISTED} more"
                                                      if len(publishers) > MAX_LISTED else "")
        named = f"the publishers are {listed}" if publishers else "no article names its publisher"
        return (f"no indexed article is from {', '.join(f'“{s}”' for s in unknown)} (a publisher, an article's "
                f"path or a file); {named}")

    def undated_left_out(self) -> str:
        """'2 undated articles were left out by the date range', when a date filter hid any."""
        undated = sum(1 for d in self.dates if not d)
        return f"{undated} undated article{' was' if undated == 1 else 's were'} left out by the date range" \
            if undated else ""

    def before_the_window(self, period: Period | None) -> str:
        """When words like "on Wednesday" were counted from today and every dated article is older: the
        newest article's day, to count from instead (``as_of``)."""
        if period is None or period.as_of is not None or not period.mentions or period.since is None:
            return ""
        day = max((d for d in self.dates if date_number(d) is not None),
                  key=lambda d: cast(int, date_number(d)), default=None)  # the days kept have a number
        if day is None:
            return ""
        newest, since = date_number(day), date_number(period.since.isoformat())
        assert newest is not None and since is not None  # a day kept has a number, and so has an ISO day
        if newest >= since:
            return ""
        words = ", ".join(f"“{m.text}”" for m in period.mentions)
        return (f"{words} counted from today, and the newest article is from {day_label(day)}: to count from "
                f"that day, ask with as of {day} (--as-of {day})")

    def language(self, question: str) -> str:
        """Why a question in another language abstains, when the bundled English-only model is in use."""
        from ..text.language import foreign_language

        language = foreign_language(question) if self.settings.embedding_model == DEFAULT_MODEL else None
        return (f"the question looks {language}, and the bundled embedding model reads English only: ask in "
                "English, or set embedding_model to a multilingual sentence-transformers model") if language else ""

    def for_answer(self, query: Query, abstained: bool) -> list[str]:
        return [self.undated_left_out(), self.unknown_sources(),
                *((self.before_the_window(query.period), self.newest_days(query), self.language(query.text))
                  if abstained else ())]

    def newest_days(self, query: Query) -> str:
        """For a briefing whose period holds no article: the days that hold the newest ones by its reference day
        ("the newest articles are from 14 Dec 2024 (2), 13 Dec 2024 (1)")."""
        if query.intent is not Intent.BRIEFING or query.search_text:
            return ""
        until = query.reference_day.isoformat()
        counts: dict[str, int] = {}
        for day in self.dates:
            if day and date_number(day) is not None and day <= until:
                counts[day] = counts.get(day, 0) + 1
        newest = sorted(counts, reverse=True)[:NEWEST_DAYS]
        if not newest:
            return f"no indexed article is dated on or before {day_label(until)}"
        return "the newest articles are from " + ", ".join(f"{day_label(d)} ({counts[d]})" for d in newest)
