"""Contrary words: a sentence that says the contrary of a question's word does not answer it."""

from __future__ import annotations

from assistant.answering.contrary import contradicted
from assistant.answering.question import analyse


def test_a_contrary_word_contradicts_the_question():
    assert contradicted(analyse("Where does the Rhine turn to the south?"), "It turns to the north.") == ["south"]
    assert contradicted(analyse("What is the smallest port?"), "Duisburg is the largest port.") == ["smallest"]


def test_saying_the_word_too_or_a_form_of_it_is_no_contradiction():
    assert contradicted(analyse("Where do cold and warm water meet?"), "Cold water meets the warmer lake.") == []
    assert contradicted(analyse("Which way does it flow, north or south?"), "It flows north, then south.") == []


def test_names_and_first_last_are_not_contraries():
    assert contradicted(analyse("Who is the mayor of South Bend?"), "The mayor of North Bend is Ann Lee.") == []
    assert contradicted(analyse("When was the last Super Bowl in California?"), "The first since 1985.") == []
