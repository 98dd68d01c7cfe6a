"""Read a question once into a :class:`Query`: its time words and the dates they limit it to, whether it
asks how a story developed or for a briefing, what it asks for, and what to search for (with the
conversation).

This is the only place the question's string is read; retrieval and every answerer take the Query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from ..errors import BadValueError
from ..records.dates import DatedWords
from ..records.filters import Filters, as_of_date
from ..records.query import Intent, Query
from ..search.time_filter import frame
from ..settings import Settings
from ..text.time_words import find_mentions, wants_recent
from .briefing_question import briefing_asked
from .condense import Condenser
from .question import analyse, asks_what_came_next, follow_on_topic, timeline_topic

BRIEFING_DAYS = 7  # "What's new?" with no dates: the stories of the seven days up to the reference day


class QueryReader:
    """``run(question, history, filters, as_of)`` -> the :class:`Query` the rest of the flow works from."""

    def __init__(self, settings: Settings, condenser: Condenser) -> None:
        self.settings = settings
        self.condenser = condenser

    def run(self, question: str, history: Sequence[str] | None = None, filters: Filters | None = None,
            as_of: str | date | None = None, today: date | None = None) -> Query:
        question = question.strip()
        if not question:
            raise BadValueError("question is empty")
        if len(question) > self.settings.max_question_chars:
            raise BadValueError(f"the question is {len(question):,} characters long; the limit is "
                                f"{self.settings.max_question_chars:,} (setting max_question_chars)")
        history = tuple(history or ())
        given_as_of = as_of_date(as_of)
        reference_day = given_as_of or today or date.today()
        mentions, recent = find_mentions(question, reference_day), wants_recent(question)
        topic = timeline_topic(question, mentions)
        continues = False
        if topic is None and (topic := follow_on_topic(question, mentions, history, reference_day)):
            continues = asks_what_came_next(question)
            ends = [m.until for m in find_mentions(history[-1], reference_day) if m.until] if continues else []
            after = max(ends) + timedelta(days=1) if ends else None
            if after is not None and after <= reference_day:  # "How did it develop last week?", then "What
                filters = replace(filters or Filters(), since=after.isoformat())  # happened next?": from the day after
                continues = False
        briefing = None if topic else briefing_asked(question, mentions)
        default = None  # a briefing on no topic and no dates: the past week's stories
        if briefing is not None and briefing.topic is None:
            default = DatedWords("the past 7 days", 0, 0, reference_day - timedelta(days=BRIEFING_DAYS - 1),
                                 reference_day)
        narrowed, period, notes = frame(mentions if self.settings.dates_from_questions else [], filters,
                                        given_as_of, default)
        asked = analyse(question)
        if briefing is not None:
            search_text, intent = briefing.topic or "", Intent.BRIEFING
        else:
            search_text = topic or self.condenser.run(question, history)
            intent = Intent.TIMELINE if topic else Intent.ANSWER
        searched = asked if search_text in (question, "") else analyse(search_text)
        return Query(question, asked, search_text, searched, reference_day, narrowed, period, tuple(notes), history,
                     intent, recent, continues)


def read_query(question: str, history: Sequence[str] | None = None, filters: Filters | None = None,
               as_of: str | date | None = None, settings: Settings | None = None) -> Query:
    """A question read with the default settings and the rule-based condenser: for Python users and tests
    who call an answerer directly."""
    settings = settings or Settings()
    return QueryReader(settings, Condenser(settings)).run(question, history, filters, as_of)
