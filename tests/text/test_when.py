"""Time words in questions, resolved against a fixed day (Sunday 15 Dec 2024); what they do to the filters."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answering.coverage import coverage_of
from assistant.records.dates import window_label
from assistant.records.filters import Filters, as_of_date
from assistant.records.wire import period_dict
from assistant.search.time_filter import frame
from assistant.text.time_words import find_mentions

from ..conftest import ROOT

TODAY = date(2024, 12, 15)  # a Sunday
D = date


def time_frame(question: str, filters: Filters | None, as_of: str | None = None, today: date | None = None):
    """What the query reader does with a question's time words: found from as_of (else today), then framed."""
    given = as_of_date(as_of)
    return frame(find_mentions(question, given or today or date.today()), filters, given)


@pytest.mark.parametrize(("question", "text", "since", "until"), [
    ("What happened last week?", "last week", D(2024, 12, 2), D(2024, 12, 8)),  # Monday to Sunday before this one
    ("What happened in the past week?", "in the past week", D(2024, 12, 9), D(2024, 12, 15)),
    ("What was reported over the last 7 days?", "over the last 7 days", D(2024, 12, 9), D(2024, 12, 15)),
    ("What was reported the last 7 days?", "last 7 days", D(2024, 12, 9), D(2024, 12, 15)),
    ("What happened yesterday?", "yesterday", D(2024, 12, 14), D(2024, 12, 14)),
    ("What happened in March?", "in March", D(2024, 3, 1), D(2024, 3, 31)),
    ("What happened since Monday?", "since Monday", D(2024, 12, 9), D(2024, 12, 15)),
    ("What happened this year?", "this year", D(2024, 1, 1), D(2024, 12, 15)),
    ("Any news this week on the strikes?", "this week", D(2024, 12, 9), D(2024, 12, 15)),
    ("Who resigned last month?", "last month", D(2024, 11, 1), D(2024, 11, 30)),
    ("Who resigned last year?", "last year", D(2023, 1, 1), D(2023, 12, 31)),
    ("What happened in 2024?", "in 2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("What happened between 3 and 9 December?", "between 3 and 9 December", D(2024, 12, 3), D(2024, 12, 9)),
    ("What was reported between December 3 and 9, 2023?", "between December 3 and 9, 2023", D(2023, 12, 3),
     D(2023, 12, 9)),
    ("What was reported in December 2023?", "in December 2023", D(2023, 12, 1), D(2023, 12, 31)),
    ("Who was hurt in the past 3 days?", "in the past 3 days", D(2024, 12, 13), D(2024, 12, 15)),
    ("Who was hurt 2 days ago?", "2 days ago", D(2024, 12, 13), D(2024, 12, 13)),
    ("What changed since 10 December?", "since 10 December", D(2024, 12, 10), D(2024, 12, 15)),
    ("What changed since two weeks ago?", "since two weeks ago", D(2024, 12, 1), D(2024, 12, 15)),
    ("What was said after 10 Dec 2024?", "after 10 Dec 2024", D(2024, 12, 11), None),
    ("What was reported before March 2024?", "before March 2024", None, D(2024, 2, 29)),
    ("Who spoke on Friday?", "on Friday", D(2024, 12, 13), D(2024, 12, 13)),
    ("What happened last weekend?", "last weekend", D(2024, 12, 7), D(2024, 12, 8)),  # the last whole one
    ("What happened today?", "today", TODAY, TODAY),
    ("In March, what happened?", "In March", D(2024, 3, 1), D(2024, 3, 31)),
])
def test_relative_and_calendar_words_resolve_against_the_given_day(question, text, since, until):
    [mention] = find_mentions(question, TODAY)
    assert (mention.text, mention.since, mention.until) == (text, since, until)
    assert question[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("question", [
    "Who won Super Bowl 50?", "When did it happen?", "What year did X start?", "How many in May 2024 attended?",
    "Who was the president of Notre Dame in 1934?", "After 1935, who would be forbidden to enter Rhineland?",
    "Who did the Broncos play in the last week of the regular season?",
    "Who was the main performer at this year's halftime show?", "How many students attend the college today?",
    "What company was in its last year for getting commercials at a discount?",
    "How many teams have won 15 games since the 16-game schedule was adopted?", "What happened in decades past?",
    "What football thing started at Justin Herman Plaza in January?", "What may happen to the Rhine?",
])
def test_questions_about_facts_name_no_publication_time(question):
    assert find_mentions(question, TODAY) == []
    assert time_frame(question, None, today=TODAY) == (Filters(), None, [])



@pytest.mark.parametrize("today", [D(2024, 12, 16 + n) for n in range(7)])  # every day of the week after
def test_last_week_is_the_calendar_week_before_whatever_the_day(today):
    """Asked on a Monday, "last week" still holds its Monday (it once meant the seven days up to today)."""
    [mention] = find_mentions("What happened last week?", today)
    assert (mention.since, mention.until) == (D(2024, 12, 9), D(2024, 12, 15))
    [this_week] = find_mentions("What happened this week?", today)
    assert (this_week.since, this_week.until) == (D(2024, 12, 16), today)


def test_a_date_that_cannot_be_read_is_ignored_and_said():
    filters, period, notes = time_frame("What happened since 31 February?", None, today=TODAY)
    assert (filters, period) == (Filters(), None)
    assert notes == ["“since 31 February” is not a date the assistant can read; it was ignored"]
    _, period, notes = time_frame("What happened between 9 and 3 December?", None, today=TODAY)
    assert period is None and "“between 9 and 3 December”" in notes[0]


def test_the_narrower_bound_wins_and_the_note_says_what_was_applied():
    filters, period, notes = time_frame("What happened this week?", Filters(since="2024-12-12"), today=TODAY)
    assert (filters.since, filters.until) == ("2024-12-12", "2024-12-15")
    assert notes == ["Articles from 12–15 Dec 2024 (“this week”)"]
    assert period.mentions[0].text == "this week" and period_dict(period)["since"] == "2024-12-12"
    filters, _, _ = time_frame("What happened in 2024?", Filters(since="2024-12"), today=TODAY)
    assert (filters.since, filters.until) == ("2024-12", "2024-12-31")  # the user's month bound is kept as given


def test_words_outside_the_dates_asked_for_are_ignored_not_an_error():
    filters, period, notes = time_frame("What happened last month?", Filters(since="2024-12"), today=TODAY)
    assert filters == Filters(since="2024-12") and period is None
    assert notes == ["“last month” (November 2024) is outside the dates asked for; it was ignored"]


def test_of_two_times_that_cannot_both_hold_the_first_is_applied_and_the_other_said():
    filters, period, notes = time_frame("What did the mayor say last Sunday and on Friday?", None, today=TODAY)
    assert (filters.since, filters.until) == ("2024-12-08", "2024-12-08")
    assert [m.text for m in period.mentions] == ["last Sunday"]
    assert notes == ["Articles from 8 Dec 2024 (“last Sunday”)",
                     "“on Friday” (13 Dec 2024) is outside the dates asked for; it was ignored"]


def test_as_of_moves_today_and_leaves_out_later_articles():
    filters, period, notes = time_frame("What happened last week?", None, as_of="2024-11-30")
    assert (filters.since, filters.until) == ("2024-11-18", "2024-11-24")
    assert period.as_of == D(2024, 11, 30)
    assert notes == ["Articles from 18–24 Nov 2024 (“last week”, as of 30 Nov 2024)"]
    filters, period, notes = time_frame("Who confirmed the attack?", Filters(until="2025"), as_of="Dec 13, 2024")
    assert (filters.since, filters.until, period.since) == (None, "2024-12-13", None)
    assert notes == ["Articles until 13 Dec 2024 (as of 13 Dec 2024)"]


def test_a_bad_as_of_is_refused_by_name():
    with pytest.raises(ValueError, match="as_of='someday'"):
        as_of_date("someday")
    with pytest.raises(ValueError, match="since=2025-01-01 is after as_of=2024-12-15"):
        time_frame("Who?", Filters(since="2025-01-01"), as_of="2024-12-15")


@pytest.mark.parametrize(("since", "until", "label"), [
    (D(2024, 12, 9), D(2024, 12, 15), "9–15 Dec 2024"), (D(2024, 11, 28), D(2024, 12, 4), "28 Nov – 4 Dec 2024"),
    (D(2024, 12, 28), D(2025, 1, 3), "28 Dec 2024 – 3 Jan 2025"), (D(2024, 2, 1), D(2024, 2, 29), "February 2024"),
    (D(2023, 1, 1), D(2023, 12, 31), "2023"), (D(2024, 12, 14), D(2024, 12, 14), "14 Dec 2024"),
    (D(2024, 12, 2), None, "since 2 Dec 2024"), (None, D(2024, 12, 2), "until 2 Dec 2024"),
])
def test_windows_read_as_people_write_them(since, until, label):
    assert window_label(since, until) == label


def test_coverage_counts_dated_articles_and_publishers_of_the_citations():
    cited = [("a.md", "2024-12-12", "Reuters"), ("b.md", "2024-12-14", "AP"), ("a.md", "2024-12-12", "Reuters"),
             ("c.md", "2024-12-13", "reuters "), ("d.md", None, None)]
    coverage = coverage_of(cited)
    assert (coverage.newest, coverage.earliest, coverage.articles, coverage.publishers, coverage.undated) == (
        "2024-12-14", "2024-12-12", 3, 2, 1)
    assert coverage.line() == "As of 14 Dec 2024 · 3 articles from 2 publishers (and 1 undated), 12–14 Dec 2024"
    assert coverage_of([("x.md", "2024-12-14", None)]).line() == "As of 14 Dec 2024 · 1 article, 14 Dec 2024"
    assert coverage_of([("x.md", None, "AP")]) is None


def bench_questions() -> list[str]:
    files = [ROOT / "tests" / "seed_questions.jsonl", *(ROOT.parent / "shared" / "bench").glob("*/questions.jsonl"),
             *(p / "questions.jsonl" for p in ROOT.glob("../../shared/bench/*"))]
    # the Wikipedia sets only: news-2024's quizzes ask about "this week" on purpose, and squad2-train is for
    # fitting (13 of its 4,719 questions name a year beside "reporting" and are filtered: see DECISIONS.md)
    found = {f.resolve() for f in files if f.exists() and f.parent.name in {"tests", "squad-dev", "squad2-dev"}}
    return [json.loads(line)["question"] for f in sorted(found) for line in f.read_text().splitlines() if line]


def test_no_benchmark_question_is_filtered_and_reading_is_quick():
    """The benchmark sets have no dates: a filter from their questions would hide every article."""
    questions = bench_questions()
    assert len(questions) >= 17
    started = time.perf_counter()
    filtered = [q for q in questions if time_frame(q, None, today=TODAY) != (Filters(), None, [])]
    per_question = (time.perf_counter() - started) / len(questions)
    assert filtered == []
    assert per_question < 0.005, f"{per_question * 1000:.2f} ms a question"


def test_a_range_across_new_year_takes_the_first_day_latest_by_today():
    [mention] = find_mentions("What happened between 28 December and 3 January?", D(2025, 1, 15))
    assert (mention.since, mention.until) == (D(2024, 12, 28), D(2025, 1, 3))


PHRASES = ["last week", "yesterday", "since Monday", "in March", "in 2024", "between 3 and 9 December",
           "300 years ago", "999 months ago", "in the past 999 years", "since 31 February", "before 1900",
           "after Dec 31, 2200", "on 29 February", "this weekend", "last Sunday and on Friday", "today"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PHRASES) | st.text(max_size=12), max_size=4),
       st.dates(min_value=D(1801, 1, 1), max_value=D(2199, 12, 1)),
       st.sampled_from([None, Filters(since="2024-12"), Filters(until="2024-06-30")]))
def test_time_words_never_fail_a_question(pieces, today, filters):
    question = "What happened " + " ".join(pieces) + "?"
    try:
        narrowed, period, notes = time_frame(question, filters, today=today)
    except ValueError as error:  # only explicit options that contradict each other may be refused
        pytest.fail(f"{question!r} on {today}: {error}")
    assert isinstance(narrowed, Filters) and all(isinstance(note, str) for note in notes)
    if period is None:
        assert narrowed == (filters or Filters())
