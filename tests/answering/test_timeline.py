"""Timelines: "How did X develop?", ``bot.timeline``, ``assistant timeline`` and the web chat give dated events
in order, one cited sentence each, repeats merged, unrelated stories left out."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from assistant.answering.question import follow_on_topic, timeline_topic
from assistant.answering.timeline import NO_EVENTS
from assistant.faces.render import chat_answer
from assistant.records.wire import answer_dict
from assistant.text.time_words import find_mentions

from ..conftest import STORY, run_cli
from ..text.test_when import bench_questions

TOPIC = "the Halden bridge collapse"


@pytest.mark.parametrize(("question", "topic"), [
    ("How did the Halden bridge collapse develop?", TOPIC),
    ("How did the Halden bridge collapse develop last week?", TOPIC),
    ("How has the war in Sudan evolved?", "the war in Sudan"),
    ("Timeline of the Halden bridge collapse", TOPIC),
    ("Timeline of the Halden bridge collapse since Monday", TOPIC),  # time words narrow the dates only
    ("Show me the timeline for the strikes last week?", "the strikes"),
    ("Give me a timeline of Brexit.", "Brexit"),
])
def test_questions_that_ask_how_something_developed_name_their_topic(question: str, topic: str) -> None:
    assert topic_of(question) == topic


@pytest.mark.parametrize("question", ["How did the Broncos win?", "What is a timeline?", "How did it happen?",
                                      "Who confirmed the Palmyra attack?", "How many people died?"])
def test_other_questions_are_answered_as_before(question: str) -> None:
    assert topic_of(question) is None


def topic_of(question: str) -> str | None:
    return timeline_topic(question, find_mentions(question, date.today()))


def follows_on(question: str, history: list[str]) -> str | None:
    return follow_on_topic(question, find_mentions(question, date.today()), history, date.today())


def test_no_benchmark_question_asks_for_a_timeline() -> None:
    assert not [q for q in bench_questions() if topic_of(q)]


def test_a_timeline_lists_dated_events_in_order_each_cited(story_bot) -> None:
    answer = story_bot.timeline(TOPIC)
    days = [e.day for e in answer.timeline]
    assert not answer.abstained and len(days) >= 6 and days == sorted(days)
    assert days[0] == "2024-12-09" and days[-1] == "2024-12-14"
    cited = {c.n: c for c in answer.citations}
    assert [e.n for e in answer.timeline] == sorted(cited)
    first = cited[answer.timeline[0].n]
    assert "collapsed on Monday evening" in first.quote and first.publisher == "Coastal Herald" and first.url
    assert answer.text.splitlines()[0].startswith("9 Dec 2024: The Halden harbour bridge collapsed")
    titles = {c.title for c in answer.citations}
    assert not any(word in title for title in titles for word in ("festival", "Solar", "cup", "Rowing"))
    reviews = [c for c in answer.citations if "review" in c.title]
    assert {c.article_id for c in reviews} == {reviews[0].article_id}  # one version of the wire copy
    assert [k.source for k in reviews[0].carried_by] == ["Harbour Post"]
    assert answer_dict(answer)["timeline"][0] == {"day": "2024-12-09", "n": 1}


def test_a_question_asking_how_it_developed_gives_the_same_timeline(story_bot) -> None:
    asked = story_bot.ask("How did the Halden bridge collapse develop?")
    assert [e.day for e in asked.timeline] == [e.day for e in story_bot.timeline(TOPIC).timeline]
    then = story_bot.timeline(TOPIC, as_of="2024-12-11")
    assert then.timeline and max(e.day for e in then.timeline) <= "2024-12-11"
    assert "as of 11 Dec 2024" in then.note


def test_a_topic_the_articles_do_not_follow_gets_no_events(story_bot) -> None:
    answer = story_bot.timeline("the first moon landing")
    assert answer.abstained and answer.text == NO_EVENTS and answer.timeline == []


def test_the_web_chat_shows_a_timeline_an_event_a_line(story_bot) -> None:
    from assistant.faces.web.chat import ChatPage

    steps = list(ChatPage(story_bot).respond("How did the Halden bridge collapse develop?", [], [], 5, "", "", None))
    history, _, sources, _, _ = steps[-1]
    bubble = history[-1]["content"]
    assert bubble.startswith("9 Dec 2024: The Halden harbour bridge collapsed")
    assert bubble.count("\n\n") >= len(story_bot.timeline(TOPIC).timeline) - 1  # an event a paragraph
    assert bubble == chat_answer(story_bot.timeline(TOPIC)) and 'data-n="1"' in sources


@pytest.mark.e2e
def test_the_command_line_prints_a_timeline_and_its_json(tmp_path: Path) -> None:
    shutil.copytree(STORY, tmp_path / "articles")
    base = ["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")]
    assert run_cli(*base, "index").returncode == 0
    printed = run_cli(*base, "timeline", TOPIC, "--as-of", "2024-12-12")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("9 Dec 2024: The Halden harbour bridge collapsed")
    assert "\n[1] Halden harbour bridge collapses in storm (2024-12-09 · Coastal Herald · " in printed.stdout
    data = json.loads(run_cli(*base, "timeline", TOPIC, "--json").stdout)
    assert [e["day"] for e in data["timeline"]] == sorted(e["day"] for e in data["timeline"])
    assert {e["n"] for e in data["timeline"]} == {c["n"] for c in data["citations"]}


def test_a_short_follow_up_continues_the_timeline_with_its_own_dates(story_bot) -> None:
    asked = "How did the Halden bridge collapse develop?"
    answer = story_bot.ask("And since Thursday?", history=[asked], as_of="2024-12-15")
    days = [e.day for e in answer.timeline]
    assert days and min(days) >= "2024-12-12" and days == sorted(days)
    assert "2024-12-14" in days  # the toll rose to eight on Saturday
    assert story_bot.ask("Who ordered the review?", history=[asked]).timeline == []  # a question of its own
    assert follows_on("What happened next?", [asked]) == TOPIC
    assert follows_on("In what year?", [asked]) is None and follows_on("And then?", ["Who?"]) is None
