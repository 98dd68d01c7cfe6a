"""The question read once into a Query, and the answerer's rules as data (kinds, lexicon, weights)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant.answering.kinds import KINDS, kind_of_noun, missing_cost, spans_of
from assistant.answering.question import analyse
from assistant.answering.reading import read_query
from assistant.answering.weights import WEIGHTS, load_weights
from assistant.errors import AssistantError, BadValueError
from assistant.records.filters import Filters
from assistant.records.query import Intent, Kind
from assistant.settings import Settings


def test_a_question_is_read_once_into_everything_the_flow_needs():
    query = read_query("What did the council decide last week?", as_of="2024-12-16")
    assert query.reference_day == date(2024, 12, 16) and query.intent is Intent.ANSWER
    assert (query.period.since, query.period.until) == (date(2024, 12, 9), date(2024, 12, 15))
    assert query.filters.since == "2024-12-09" and query.filters.until == "2024-12-15"
    assert query.asked.text == query.text and query.searched is query.asked and not query.recent
    assert query.notes and "last week" in query.notes[0]


def test_a_timeline_question_is_read_as_one_with_its_topic_and_the_dates_apart():
    query = read_query("How did the Halden bridge collapse develop this week?", as_of="2024-12-15")
    assert query.intent is Intent.TIMELINE and query.search_text == "the Halden bridge collapse"
    assert query.searched.text == "the Halden bridge collapse" and query.period.until == date(2024, 12, 15)
    follow_up = read_query("And since Friday?", history=["How did the Halden bridge collapse develop?"],
                           as_of="2024-12-15")
    assert follow_up.intent is Intent.TIMELINE and follow_up.search_text == "the Halden bridge collapse"
    assert follow_up.period.since == date(2024, 12, 13)  # the Friday before the as_of day, not before today


@pytest.mark.parametrize(("question", "topic"), [
    ("What happened last week?", None), ("What's new?", None), ("Top stories", None), ("What happened?", None),
    ("What was reported since Monday?", None), ("Any news today?", None), ("What's new so far?", None),
    ("What's new on the ferry strike?", "the ferry strike"), ("Catch me up on the mine collapse", "the mine collapse"),
    ("What's new in Ostwick this week?", "Ostwick"), ("Give me a briefing on the fire", "the fire"),
    ("Any news about Brannock Rovers?", "Brannock Rovers"), ("What happened in March?", None),
])
def test_a_briefing_question_is_read_with_its_topic_apart_from_its_dates(question, topic):
    query = read_query(question, as_of="2026-11-16")
    assert query.intent is Intent.BRIEFING and query.search_text == (topic or "")


@pytest.mark.parametrize("question", ["What happened to the bridge?", "Who confirmed the Palmyra attack?",
                                      "What happened with the rate of flow in the Rhine?",
                                      "What was reported in Chengdu?",
                                      "What is new about the policy, according to the mayor?",
                                      "What happened next?", "How did the strike develop?"])
def test_questions_about_a_fact_or_a_development_are_no_briefing(question):
    assert read_query(question, history=["How did the strike develop?"]).intent is not Intent.BRIEFING


def test_a_briefing_without_dates_covers_the_past_week_and_says_so():
    query = read_query("What's new?", as_of="2026-11-16")
    assert (query.period.since, query.period.until) == (date(2026, 11, 10), date(2026, 11, 16))
    assert query.notes[0] == "Articles from 10–16 Nov 2026 (“the past 7 days”, as of 16 Nov 2026)"
    given = read_query("What's new?", filters=Filters(since="2026-11-02"), as_of="2026-11-16")
    assert given.period.since == date(2026, 11, 2)  # the user's own dates, not the default week
    topic = read_query("Catch me up on the fire", as_of="2026-11-16")
    assert topic.period.since is None  # a topic's whole story


def test_a_follow_up_searches_with_the_conversation_and_asks_its_own_question():
    query = read_query("When did it happen?", history=["Who confirmed the Palmyra attack?"])
    assert query.search_text == "Who confirmed the Palmyra attack? When did it happen?"
    assert query.asked.kind is Kind.DATE and query.searched.text == query.search_text


def test_a_bad_question_is_refused_before_anything_is_read():
    with pytest.raises(AssistantError, match="question is empty"):
        read_query("   ")
    with pytest.raises(BadValueError, match="max_question_chars"):
        read_query("why? " * 500, settings=Settings(max_question_chars=100))


def test_every_kind_is_one_row_of_the_table():
    assert set(KINDS) == set(Kind)
    assert kind_of_noun("venue") is Kind.PLACE and kind_of_noun("toll") is Kind.NUMBER
    assert kind_of_noun("year") is Kind.DATE and kind_of_noun("spokesperson") is Kind.PERSON
    assert kind_of_noun("bridge") is None
    assert analyse("Which venue hosted the game?").kind is Kind.PLACE
    sentence = "Captain Mira Okonkwo led 12 divers in Varel on 14 March 2024."
    assert [c.text for c in spans_of(sentence, Kind.PERSON)] == ["Mira Okonkwo", "Varel"]
    assert [c.text for c in spans_of(sentence, Kind.NUMBER)] == ["12"]  # "14" is part of a date
    assert [c.text for c in spans_of(sentence, Kind.DATE)] == ["14 March 2024"]


def test_what_a_missing_span_costs_comes_from_the_kind_and_the_weights():
    when, who, which = (analyse(q) for q in ("When did it open?", "Who opened it?", "Which bridge opened?"))
    assert missing_cost(when, "It opened to traffic.") == WEIGHTS.decisive
    assert missing_cost(when, "It opened during World War I.") == WEIGHTS.missing_time_but_era
    assert missing_cost(who, "A local official opened it.") == WEIGHTS.missing_person
    assert missing_cost(which, "The old one opened.") == 0.0


def test_weights_are_read_from_a_file_and_an_unknown_name_is_refused(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"abstain_below": 0.6, "span_bonus": 0.1}))
    weights = load_weights(path)
    assert (weights.abstain_below, weights.span_bonus, weights.margin) == (0.6, 0.1, WEIGHTS.margin)
    path.write_text(json.dumps({"abstain_bellow": 0.6}))
    with pytest.raises(BadValueError, match="'abstain_bellow' is not a weight"):
        load_weights(path)
    with pytest.raises(BadValueError, match="cannot be read"):
        load_weights(tmp_path / "missing.json")


def test_no_question_of_the_held_out_sets_is_read_as_a_briefing():
    """The Wikipedia sets and the news quizzes ask facts: none of their 1,897 questions becomes a briefing."""
    import json

    from ..conftest import ROOT

    rows = [json.loads(line) for name in ("squad-dev", "squad2-dev", "news-2024")
            for line in (ROOT.parent / "shared" / "bench" / name / "questions.jsonl").read_text().splitlines()
            if (ROOT.parent / "shared" / "bench" / name).is_dir()]
    assert not [r["question"] for r in rows if read_query(r["question"], as_of=r.get("as_of")).intent
                is Intent.BRIEFING]
