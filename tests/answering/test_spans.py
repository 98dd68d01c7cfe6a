"""Spans of the asked kind, with offsets exact enough to quote."""

from __future__ import annotations

import pytest

from assistant.answering.kinds import spans_of
from assistant.answering.question import Kind
from assistant.answering.spans import counting, measures, year_of

SENTENCE = ("The Denver Broncos beat the Carolina Panthers 24–10 on February 7, 2016 at Levi's Stadium in "
            "Santa Clara before 71,088 people, the 50th Super Bowl since 1967.")


def texts(kind: Kind) -> list[str]:
    found = spans_of(SENTENCE, kind)
    assert all(SENTENCE[c.start:c.end] == c.text for c in found)
    return [c.text for c in found]


def test_dates_numbers_and_names():
    assert texts(Kind.DATE) == ["February 7, 2016", "1967"]
    assert texts(Kind.NUMBER) == ["24–10", "71,088 people", "50"]  # the years are dates
    names = texts(Kind.NAME)
    assert {"Denver Broncos", "Carolina Panthers", "Levi's Stadium", "Santa Clara", "Super Bowl"} <= set(names)
    assert not any("February" in n for n in names)  # a date is not a name


def test_a_number_ends_with_its_last_digit_not_the_comma_after_it():
    sentence = "Manning was 39, Newton 26, and 1,000,000 viewers, 20–18, watched."
    found = [c.text for c in spans_of(sentence, Kind.NUMBER)]
    assert found == ["39", "26", "1,000,000", "20–18"]


def test_places_know_their_preposition_and_people_lose_their_title():
    places = {c.text: c.locative for c in spans_of(SENTENCE, Kind.PLACE)}
    assert places["Santa Clara"] and not places["Denver Broncos"]
    people = [c.text for c in spans_of("Pentagon spokesperson Sean Parnell and Captain Mira Okonkwo spoke.",
                                         Kind.PERSON)]
    assert "Mira Okonkwo" in people and "Sean Parnell" in people


def test_names_may_begin_with_a_capital_beyond_ascii():
    sentence = "Prime Minister Élisabeth Borne met Chopin's family in Żelazowa Wola, west of Łódź."
    assert [c.text for c in spans_of(sentence, Kind.PERSON)] == ["Élisabeth Borne", "Chopin", "Żelazowa Wola", "Łódź"]
    assert {c.text: c.locative for c in spans_of(sentence, Kind.PLACE)}["Żelazowa Wola"]


def test_a_capitalised_first_word_alone_is_not_a_name():
    assert [c.text for c in spans_of("Firefighters rescued two hikers near Varel.", Kind.NAME)] == ["Varel"]


def test_a_name_after_a_capitalised_first_word_loses_its_article():
    found = spans_of("But the Broncos defense halted the drive.", Kind.NAME)
    assert [c.text for c in found] == ["Broncos"]


def test_dates_counted_back_from_now_are_dates_and_numbers():
    sentence = "Warming began about 13,000 BP, some 11,700 years ago, after 22,000–14,000 yr BP of ice."
    assert [c.text for c in spans_of(sentence, Kind.DATE)] == ["13,000 BP", "11,700 years ago",
                                                                   "22,000–14,000 yr BP"]
    assert "11,700 years" in [c.text for c in spans_of(sentence, Kind.NUMBER)]


@pytest.mark.parametrize(("sentence", "number", "expected"), [
    ("Officials said two people had died.", "two people", 1),
    ("Miller recorded two forced fumbles.", "two", 1),
    ("The storm sent three vehicles into the water.", "three", -1),
    ("The toll rose to four on Tuesday.", "four", 0),
])
def test_a_number_counts_what_how_many_asks_for_or_something_else(sentence, number, expected):
    head = "fumbles" if "fumbles" in sentence else "people"
    [span] = [c for c in spans_of(sentence, Kind.NUMBER) if c.text == number]
    assert counting(head, sentence, span) == expected


def test_how_long_or_how_far_is_answered_by_a_number_with_its_unit_only():
    sentence = "Lake Constance has three basins; the 63 km lake took a week to cross in a 30-second gust."
    found = measures(sentence)
    assert [c.text for c in found] == ["63 km", "a week", "30-second"]  # not "three"
    assert all(sentence[c.start:c.end] == c.text for c in found)


def test_what_year_is_answered_by_the_year_of_a_date():
    sentence = "The stadium was approved on May 21, 2013, early 2014 or in the 1990s, and built 2012–2014."
    spans = {c.text: c for c in spans_of(sentence, Kind.DATE)}
    for text, year in (("May 21, 2013", "2013"), ("early 2014", "2014")):
        narrowed = year_of(spans[text])
        assert narrowed.text == year and sentence[narrowed.start:narrowed.end] == year
    assert year_of(spans["1990s"]).text == "1990s" and year_of(spans["2012–2014"]).text == "2012–2014"


def test_names_lose_a_leading_adverb_a_possessive_and_for_people_a_title():
    sentence = ("Then Anderson scored, and NFL Commissioner Roger Goodell praised Peyton Manning's pass at "
                "Levi's Stadium.")
    people = spans_of(sentence, Kind.PERSON)
    assert [c.text for c in people] == ["Anderson", "Roger Goodell", "Peyton Manning", "Levi's Stadium"]
    assert all(sentence[c.start:c.end] == c.text for c in people)
    owned = "They stayed at Miami's Sun Life Stadium."
    [stadium] = spans_of(owned, Kind.PLACE)
    assert stadium.text == "Sun Life Stadium" and owned[stadium.start:stadium.end] == stadium.text


def test_place_names_keep_their_particles():
    sentence = "The river changes its name at Wijk bij Duurstede and passes Frankfurt am Main."
    assert [c.text for c in spans_of(sentence, Kind.PLACE)] == ["Wijk bij Duurstede", "Frankfurt am Main"]
