"""Reading a question: the kind of thing asked for, and the specifics an answer must share."""

from __future__ import annotations

import pytest

from assistant.answering.question import Kind, analyse


@pytest.mark.parametrize(("question", "kind", "head"), [
    ("Who confirmed the Palmyra attack?", Kind.PERSON, None),
    ("When did it happen?", Kind.DATE, None),
    ("In what year did the Carolina Panthers form?", Kind.DATE, "year"),
    ("How many U.S. service members were injured?", Kind.NUMBER, "members"),
    ("How many people died in the collapse?", Kind.NUMBER, "people"),
    ("How many Panthers players were chosen?", Kind.NUMBER, "players"),  # a name does not count
    ("How much money was raised?", Kind.NUMBER, "money"),
    ("How many of them survived?", Kind.NUMBER, "many"),
    ("How long is the bridge?", Kind.NUMBER, "long"),
    ("What is the population of Cologne?", Kind.NUMBER, "population"),
    ("Where does Emily Carter work?", Kind.PLACE, None),
    ("Which province did the coalition target?", Kind.PLACE, "province"),
    ("What venue hosted Super Bowl 50?", Kind.PLACE, "venue"),
    ("Which TV channel reported the attack?", Kind.NAME, "channel"),  # a name qualifies the noun after it
    ("Which NFL team won Super Bowl 50?", Kind.NAME, "team"),
    ("Which Rhine is longer?", Kind.NAME, "rhine"),  # no noun after the name
    ("Which MVP died in 2001?", Kind.NAME, "mvp"),  # nor when a verb follows it
    ("What kind of missiles did the operation involve?", None, None),
    ("What did Donald Trump vow?", None, None),
    ("Who is Ahmed Al-Faris?", None, None),  # a description, not a name
    ("Why were the strikes launched?", None, None),
])
def test_kind_of_answer_asked_for(question, kind, head):
    asked = analyse(question)
    assert asked.kind == kind and asked.head == head


def test_specifics_names_degree_and_negation():
    asked = analyse("What is not the smallest nation the Rhine runs through?")
    assert asked.negated and asked.degree == ("smallest",) and asked.names == ("rhine",)
    assert analyse("What river is larger than the Danube?").degree == ("larger",)
    assert analyse("Which team won 15 games?").numbers == ("15",)


def test_initials_of_the_question_s_names_leave_its_first_words_out():
    assert analyse("Who was the Most Valuable Player in 2015?").initials["MVP"] == "Most Valuable Player"
    assert analyse("What Denver player caught the ball?").initials == {}
    assert analyse("Which NFL team won?").acronyms == {"NFL"}
