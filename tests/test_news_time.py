"""Relative time in questions, ``as_of``, and how current an answer is, on one evolving story (the Halden
bridge collapse, 9–14 Dec 2024, four publishers) beside unrelated and undated articles."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assistant import Filters
from assistant.faces.render import sources_text
from assistant.records.wire import answer_dict

from .conftest import STORY, make_bot, run_cli
from .test_readme import blocks

LATEST = "What is the latest death toll from the Halden bridge collapse?"


def dates_of(answer) -> list[str]:
    return [p.date for p in answer.passages]


def test_a_latest_question_leads_with_the_newest_article_and_says_how_current(story_bot):
    answer = story_bot.ask(LATEST)
    first = answer.citations[0]
    assert first.date == max(c.date for c in answer.citations) == "2024-12-14"
    assert "eight" in first.quote
    coverage = answer.coverage
    assert (coverage.newest, coverage.articles) == ("2024-12-14", len({c.article_id for c in answer.citations}))
    assert coverage.line().startswith("As of 14 Dec 2024 · ")
    assert sources_text(answer).startswith(coverage.line())
    assert answer.period is None and answer.note == ""  # no time words, no as_of: nothing filtered


def test_as_of_leaves_out_what_was_published_later(story_bot):
    answer = story_bot.ask(LATEST, as_of="2024-12-12")
    assert answer.passages and max(dates_of(answer)) <= "2024-12-12"
    assert "eight" not in answer.text and not answer.abstained
    first = answer.citations[0]  # the newest article that holds an answer by then leads, not the best worded
    assert (first.date, first.publisher) == ("2024-12-11", "Coastal Herald") and "six" in first.quote
    assert answer.period.until == date(2024, 12, 12) and answer.period.as_of == date(2024, 12, 12)
    assert answer.note.startswith("Articles until 12 Dec 2024 (as of 12 Dec 2024)")
    assert answer.coverage.newest <= "2024-12-12"


def test_last_week_asked_on_a_monday_is_the_week_before_and_the_answer_says_so(story_bot):
    answer = story_bot.ask("What happened last week?", as_of="2024-12-16")
    assert answer.passages and all("2024-12-09" <= d <= "2024-12-15" for d in dates_of(answer))
    assert answer.note.startswith("Articles from 9–15 Dec 2024 (“last week”, as of 16 Dec 2024)")
    [mention] = answer.period.mentions
    assert (mention.text, mention.start, mention.end) == ("last week", 14, 23)


def test_a_relative_question_is_answered_from_its_period(story_bot):
    review = story_bot.ask("Who ordered a review of the city bridges last week?", as_of="2024-12-16")
    assert review.short_answer.text == "Ilse Brandt"
    assert review.coverage.line() == "As of 12 Dec 2024 · 2 articles from 2 publishers, 12 Dec 2024"
    cup = story_bot.ask("Who scored twice in the cup final last month?", as_of="2024-12-15")
    assert "Jonas Lind" in cup.short_answer.text
    assert all(d.startswith("2024-11") for d in dates_of(cup))
    march = story_bot.ask("What was reported in March?", as_of="2024-12-15")
    assert {p.article_id for p in march.passages} == {"2024-03-14-solar-farm.md"}
    assert march.note.startswith("Articles from March 2024 (“in March”")


def test_the_question_and_explicit_dates_combine_the_narrower_wins(story_bot):
    answer = story_bot.ask("What happened last week?", filters=Filters(since="2024-12-13"), as_of="2024-12-16")
    assert answer.passages and all("2024-12-13" <= d <= "2024-12-15" for d in dates_of(answer))
    assert answer.note.startswith("Articles from 13–15 Dec 2024")


def test_a_date_that_cannot_be_read_never_fails_the_question(story_bot):
    answer = story_bot.ask("What was reported since 31 February about the Halden bridge?")
    assert answer.period is None and answer.passages
    assert "“since 31 February” is not a date the assistant can read; it was ignored" in answer.note


def test_an_answer_from_undated_articles_carries_no_as_of_line(story_bot):
    answer = story_bot.ask("Who founded the Marren Rowing Club?")
    assert answer.short_answer.text == "Anders Ek"
    written = answer_dict(answer)
    assert answer.coverage is None and written["newest_cited"] is None and written["coverage"] is None
    assert "As of" not in sources_text(answer)


@pytest.mark.e2e
def test_a_weekday_counted_from_today_over_older_articles_says_which_day_to_count_from(story_bot):
    answer = story_bot.ask("What was the death toll on Wednesday?")  # from today: no article is that recent
    assert answer.abstained
    assert "the newest article is from 14 Dec 2024: to count from that day, ask with as of 2024-12-14" in answer.note
    counted = story_bot.ask("What was the death toll on Wednesday?", as_of="2024-12-14")
    assert counted.short_answer.text == "five" and "newest article" not in counted.note


def test_the_command_line_takes_as_of_and_prints_period_and_coverage(tmp_path: Path):
    shutil.copytree(STORY, tmp_path / "articles")
    base = ["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")]
    assert run_cli(*base, "index").returncode == 0
    asked = run_cli(*base, "ask", LATEST, "--json", "--as-of", "2024-12-12")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["period"]["until"] == answer["period"]["as_of"] == "2024-12-12"
    assert answer["newest_cited"] == answer["coverage"]["newest"] <= "2024-12-12"
    assert answer["as_of"] == answer["newest_cited"] and answer["coverage"]["as_of"] == answer["coverage"]["newest"]
    assert answer["coverage"]["line"].startswith("As of ") and answer["coverage"]["publishers"] >= 1
    assert all(c["date"] <= "2024-12-12" for c in answer["citations"])
    refused = run_cli(*base, "ask", LATEST, "--as-of", "someday")
    assert refused.returncode == 2 and "as_of='someday'" in refused.stderr


@pytest.mark.e2e
def test_the_readme_time_examples_run_as_written(tmp_path: Path):
    """From a folder holding the story corpus where the repository keeps it, as the README says."""
    heading = "Time: \"last week\", as of a day, and how current an answer is"
    shutil.copytree(STORY, tmp_path / "tests" / "fixtures" / "story")
    commands = [shlex.split(line)[1:] for line in blocks("bash")[heading].splitlines() if line.startswith("assistant ")]
    assert len(commands) == 2
    for command in commands:
        done = run_cli(*command, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert "As of 12 Dec 2024 · 2 articles from 2 publishers, 12 Dec 2024\n" in done.stdout
    assert "(Articles from 9–15 Dec 2024 (“last week”, as of 16 Dec 2024); 1 undated" in done.stdout
    ran = subprocess.run([sys.executable, "-c", blocks()[heading]], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, env=os.environ.copy())
    assert ran.returncode == 0, ran.stderr[-3000:]
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("Articles from 9–15 Dec 2024 (“last week”, as of 16 Dec 2024)")
    assert lines[1] == "As of 12 Dec 2024 · 2 articles from 2 publishers, 12 Dec 2024"
    assert "DatedWords(text='last week', start=41, end=50" in lines[2]
    assert lines[3:] == ["2024-12-14", "2024-12-11"]


def test_time_words_in_questions_can_be_switched_off(story_bot, embedder):
    settings = story_bot.settings
    bot = make_bot(embedder, settings.articles_dir, settings.index_dir, dates_from_questions=False)
    answer = bot.ask("Who scored twice in the cup final last month?", as_of="2024-12-15")
    assert answer.period.mentions == () and "last month" not in answer.note
    assert any(not d.startswith("2024-11") for d in dates_of(answer))  # December is read too


def test_a_cited_event_carries_its_date_when_the_sentence_does_not_spell_it_out(story_bot):
    answer = story_bot.ask("When did the Halden harbour bridge collapse?")
    dated = {(d.text, d.since.isoformat()) for c in answer.citations for d in c.dates}
    assert ("on Monday evening", "2024-12-09") in dated
    for c in answer.citations:
        assert all(c.passage[d.start - c.passage_start:d.end - c.passage_start] == d.text for d in c.dates)
    toll = story_bot.ask("When did the injured man die in hospital?")
    assert ("yesterday", "2024-12-12") in {(d.text, d.since.isoformat()) for c in toll.citations for d in c.dates}


def test_the_web_chat_takes_as_of_and_shows_the_period_and_how_current(story_bot):
    from assistant.faces.web.chat import ChatPage

    steps = list(ChatPage(story_bot).respond("Who ordered a review of the city bridges last week?", [], [], 5, "", "",
                                             None, "2024-12-16"))
    history, _, sources, _, _ = steps[-1]
    bubble = history[-1]["content"]
    assert "*As of 12 Dec 2024 · 2 articles from 2 publishers, 12 Dec 2024*" in bubble
    assert "Articles from 9–15 Dec 2024 \\(“last week”, as of 16 Dec 2024\\)" in bubble
    assert "Northern Wire" in sources and "Harbour Post" in sources


def test_a_source_no_article_has_is_named_with_the_publishers_there_are(story_bot):
    """A typo in --source ("Harbor Post") abstains, and the note says why instead of leaving a silent
    "don't say"; a source that exists adds nothing to the note."""
    answer = story_bot.ask("How many people died?", filters=Filters(sources=("Harbor Post",)))
    assert answer.abstained
    assert "no indexed article is from “Harbor Post”" in answer.note
    assert "Harbour Post" in answer.note and "Northern Wire" in answer.note
    found = story_bot.ask("How many people died?", filters=Filters(sources=("Harbour Post",)))
    assert "no indexed article is from" not in found.note
