"""Relative dates inside articles, counted from the publish date (Thursday 12 Dec 2024 unless said)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answering.citing import cite
from assistant.faces.render import dates_said, sources_html, sources_text
from assistant.records.answer import Answer
from assistant.records.article import Passage, Span
from assistant.records.wire import answer_dict
from assistant.text.dated_phrases import dated_phrases

THURSDAY = "2024-12-12"


@pytest.mark.parametrize(("sentence", "text", "since", "until"), [
    ("The bridge collapsed on Monday evening during a storm.", "on Monday evening", "2024-12-09", "2024-12-09"),
    ("The mayor ordered a review on Thursday.", "on Thursday", THURSDAY, THURSDAY),  # the day it was published
    ("It had been inspected last Thursday.", "last Thursday", "2024-12-05", "2024-12-05"),
    ("The council will vote on Friday.", "on Friday", "2024-12-13", "2024-12-13"),
    ("A hearing is set for next Monday.", "next Monday", "2024-12-16", "2024-12-16"),
    ("A man died in hospital late yesterday.", "yesterday", "2024-12-11", "2024-12-11"),
    ("Divers were sent in last night.", "last night", "2024-12-11", "2024-12-11"),
    ("Sales fell last week.", "last week", "2024-12-02", "2024-12-08"),
    ("Prices rose earlier this month.", "earlier this month", "2024-12-01", "2024-12-31"),
    ("The contract was signed last year.", "last year", "2023-01-01", "2023-12-31"),
    ("The cracks were found two weeks ago.", "two weeks ago", "2024-11-28", "2024-11-28"),
    ("Police said Tuesday that the road stays shut.", "said Tuesday", "2024-12-10", "2024-12-10"),
])
def test_relative_words_are_dated_from_the_publish_date(sentence, text, since, until):
    [phrase] = dated_phrases(sentence, THURSDAY, offset=50)
    assert (phrase.text, phrase.since, phrase.until) == (text, date.fromisoformat(since), date.fromisoformat(until))
    assert sentence[phrase.start - 50:phrase.end - 50] == text


def test_each_clause_says_whether_its_day_is_ahead():
    phrases = dated_phrases("The mayor said on Tuesday, and the council will vote on Friday.", THURSDAY)
    found = [(p.text, p.since.isoformat()) for p in phrases]
    assert found == [("on Tuesday", "2024-12-10"), ("on Friday", "2024-12-13")]


@pytest.mark.parametrize("sentence", [
    "Black Friday sales were strong.", "This year's festival was smaller.", "It is due to report in March.",
    "In the last week of the season they lost.", "Mayor Brandt spoke.",
])
def test_names_and_month_names_are_not_dated(sentence):
    assert dated_phrases(sentence, THURSDAY) == []


def test_an_undated_article_dates_nothing():
    assert dated_phrases("The bridge collapsed on Monday.", None) == []


def test_a_citation_carries_its_dates_into_json_the_terminal_and_the_page():
    text = "Intro. The bridge collapsed on Monday evening."
    passage = Passage("c1", "a.md", "Bridge", text, 100, 100 + len(text), [Span(107, 100 + len(text))], 0.5,
                      date="2024-12-10", source="Wire")
    citation = cite(1, passage, passage.sentences[0], 0.9)
    [phrase] = citation.dates
    assert (phrase.text, phrase.since) == ("on Monday evening", date(2024, 12, 9))
    assert text[phrase.start - 100:phrase.end - 100] == "on Monday evening"
    answer = Answer("It collapsed [1].", [citation], False)
    assert answer_dict(answer)["citations"][0]["dates"][0]["since"] == "2024-12-09"
    assert dates_said(citation) == "on Monday evening: 9 Dec 2024"
    assert "    (on Monday evening: 9 Dec 2024)" in sources_text(answer)
    assert '<div class="source-dates">on Monday evening: 9 Dec 2024</div>' in sources_html(answer)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["on Monday ", "last week ", "next year ", "two days ago ", "yesterday ", "will ",
                                  ", ", "x", " ", "Sunday night"]), max_size=12).map("".join),
       st.dates(min_value=date(1801, 1, 1), max_value=date(2199, 12, 1)))
def test_phrases_are_found_where_they_stand_and_never_fail(text, published):
    for phrase in dated_phrases(text, published.isoformat(), offset=7):
        assert text[phrase.start - 7:phrase.end - 7] == phrase.text and phrase.since <= phrase.until
