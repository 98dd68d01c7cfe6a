"""Briefings on two weeks of invented news (tests/fixtures/fortnight: 25 articles, 5 outlets, 6 stories with
follow-ups and wire copies, written apart from the code; fortnight-stories.json says which article is which
story), and on the real dated news of news-2024."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.answering.briefing import lead_of
from assistant.records.answer import Answer
from assistant.records.article import Passage, Span
from assistant.records.wire import answer_dict

from ..conftest import FORTNIGHT, ROOT, make_bot, run_cli

EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "fortnight-stories.json").read_text(encoding="utf-8"))
STORY_OF = {article: story["story"] for story in EXPECTED["stories"] for article in story["articles"]}
NEWS = ROOT.parent / "shared" / "bench" / "news-2024"
FRIDAY = "2026-11-13"


def front_matter(path: Path) -> tuple[dict[str, str], list[str]]:
    """A fixture article's fields and its paragraphs."""
    _, head, body = path.read_text(encoding="utf-8").split("---", 2)
    fields = dict(line.split(": ", 1) for line in head.strip().splitlines())
    return fields, [p.strip() for p in body.strip().split("\n\n")]


ARTICLES = {path.name: front_matter(path) for path in FORTNIGHT.glob("*.md")}


def lead_written(article: str) -> str:
    """The lead as its writer wrote it: the first paragraph after any byline, dateline or time stamp."""
    skipped = EXPECTED["non_news_first_lines"].get(article)
    return next(p for p in ARTICLES[article][1] if p != skipped)


def expected_stories(since: str, until: str) -> dict[str, list[str]]:
    """Each story with articles in the period, and those articles (date order)."""
    found: dict[str, list[str]] = {}
    for article in sorted(ARTICLES, key=lambda a: (ARTICLES[a][0]["date"], a)):
        if since <= ARTICLES[article][0]["date"] <= until:
            found.setdefault(STORY_OF[article], []).append(article)
    return found


def check_briefing(answer: Answer, since: str, until: str) -> list[str]:
    """Each story of the period once, led by its earliest report's lead, most outlets first (then the newest),
    every cited date inside the period; returns the stories in the order told."""
    expected = expected_stories(since, until)
    cited = {c.n: c for c in answer.citations}
    told = [STORY_OF[cited[s.n].article_id] for s in answer.briefing]
    assert sorted(told) == sorted(expected), (told, answer.text)  # each once: wire copies and follow-ups grouped
    for story, briefed in zip(told, answer.briefing):
        lead = cited[briefed.n]
        first = expected[story][0]  # or a wire copy of it, the same day
        assert lead.date == ARTICLES[first][0]["date"] and lead.quote == lead_written(lead.article_id)
        assert briefed.outlets and set(briefed.outlets) == {ARTICLES[a][0]["source"] for a in expected[story]}
        assert briefed.reports == len(expected[story])
        assert (briefed.first_day, briefed.last_day) == (ARTICLES[first][0]["date"],
                                                         ARTICLES[expected[story][-1]][0]["date"])
    rank = [(-len(b.outlets), -int(b.last_day.replace("-", ""))) for b in answer.briefing]
    assert rank == sorted(rank)
    assert all(since <= c.date <= until for c in answer.citations)
    assert len({(c.article_id, c.start) for c in answer.citations}) == len(answer.citations)  # cited once each
    return told


@pytest.mark.parametrize(("question", "since", "until"), [
    ("What happened today?", FRIDAY, FRIDAY),
    ("What happened yesterday?", "2026-11-12", "2026-11-12"),
    ("What happened this week?", "2026-11-09", FRIDAY),
    ("What happened last week?", "2026-11-02", "2026-11-08"),
    ("What was reported since Tuesday?", "2026-11-10", FRIDAY),
    ("What's new?", "2026-11-07", FRIDAY),  # no dates: the past seven days
])
def test_a_briefing_lists_the_periods_stories_each_once_led_by_the_right_sentence(fortnight_bot, question, since,
                                                                                  until):
    answer = fortnight_bot.ask(question, as_of=FRIDAY)
    assert not answer.abstained and answer.period is not None
    assert (answer.period.since.isoformat(), answer.period.until.isoformat()) == (since, until)
    check_briefing(answer, since, until)


def test_the_most_carried_story_comes_first_and_wire_copies_are_carried_not_repeated(fortnight_bot):
    answer = fortnight_bot.briefing(since="2026-11-02", as_of="2026-11-15")
    told = check_briefing(answer, "2026-11-02", "2026-11-15")
    assert told[0] == "Marrowby chemical plant fire" and len(answer.briefing[0].outlets) == 4
    lead = answer.citations[0]
    assert {c.source for c in lead.carried_by} == {"Harbour Post"}  # the wire copy of the same day
    assert answer.text.splitlines()[0].startswith("2 Nov 2026 · ")
    assert answer.text.splitlines()[1].startswith("Latest, 10 Nov 2026: ")  # its newest development
    from assistant.faces.render import sources_html

    shown = sources_html(answer)  # a lead is listed, not scored against a question: no "answer score" beside it
    assert "answer score" not in shown and "also carried by" in shown


def test_a_topic_briefing_tells_that_story_only_oldest_development_first(fortnight_bot):
    answer = fortnight_bot.ask("Catch me up on the Saltmere ferry strike", as_of=FRIDAY)
    [story] = answer.briefing
    cited = {c.n: c for c in answer.citations}
    reports = [cited[story.n], *(cited[n] for n in story.developments)]
    assert {STORY_OF[c.article_id] for c in reports} == {"Saltmere ferry strike"}
    assert [c.date for c in reports] == ["2026-11-04", "2026-11-07", "2026-11-09", "2026-11-10"]
    assert all(c.quote == lead_written(c.article_id) for c in reports)
    on_week = fortnight_bot.ask("What's new on the ferry strike this week?", as_of=FRIDAY)
    assert [c.date for c in on_week.citations] == ["2026-11-09", "2026-11-10"]


def test_a_period_without_articles_says_which_days_hold_the_newest(fortnight_bot):
    answer = fortnight_bot.ask("What happened on Wednesday?", as_of=FRIDAY)  # 11 Nov: no article
    assert answer.abstained and answer.briefing == [] and answer.citations == []
    assert answer.text == "No indexed article is from 11 Nov 2026."
    assert "the newest articles are from 13 Nov 2026 (2), 12 Nov 2026 (2), 10 Nov 2026 (3)" in answer.note


def test_the_briefing_command_prints_the_stories_and_their_json(fortnight_bot):
    base = ["--articles", str(fortnight_bot.settings.articles_dir), "--index", str(fortnight_bot.settings.index_dir)]
    done = run_cli(*base, "briefing", "--since", "2026-11-09", "--as-of", FRIDAY, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    asked = json.loads(json.dumps(answer_dict(fortnight_bot.briefing("2026-11-09", as_of=FRIDAY))))
    assert data["briefing"] and data == asked
    assert {"n", "first_day", "last_day", "outlets", "reports", "developments"} == set(data["briefing"][0])
    topic = run_cli(*base, "briefing", "--topic", "the Cobbet Deep mine", "--as-of", FRIDAY)
    assert topic.returncode == 0 and topic.stdout.startswith("3 Nov 2026 · ")
    bad = run_cli(*base, "briefing", "--since", "someday")
    assert bad.returncode == 2 and "since" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.e2e
def test_the_readme_briefing_examples_run_as_written(tmp_path: Path):
    """From a folder holding the fortnight where the repository keeps it, as the README says."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Briefings: what happened this week"):]
    section = section[:section.index("\n## ")]
    bash, shown, code = (part.split("\n", 1)[1] for part in section.split("```")[1:6:2])  # bash, output, python
    shutil.copytree(FORTNIGHT, tmp_path / "tests" / "fixtures" / "fortnight")
    commands = [shlex.split(line)[1:] for line in bash.splitlines() if line.startswith("assistant ")]
    assert len(commands) == 3
    outputs = []
    for command in commands:
        done = run_cli(*command, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.splitlines())
    printed = [line for line in shown.splitlines() if line != "…"]
    assert len(printed) == 5 and all(line in outputs[1] for line in printed), outputs[1]
    assert outputs[2][0].startswith("4 Nov 2026 · Harbour Post, Metro Ledger, Northern Wire: Crew members")
    ran = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, env=os.environ.copy())
    assert ran.returncode == 0, ran.stderr[-3000:]
    lines = ran.stdout.splitlines()
    assert [f"# {line}" for line in lines[:2]] == [c for c in code.splitlines() if c.startswith("# 2026")]
    assert lines[2] == "['2026-11-07', '2026-11-09', '2026-11-10']"


def passage_of(text: str, title: str = "A title") -> Passage:
    sentences, start = [], 0
    for line in text.split("\n"):
        sentences.append(Span(start, start + len(line)))
        start += len(line) + 1
    return Passage("a.md::0", "a.md", title, text, 0, len(text), sentences, 0.0, date="2026-11-02")


@pytest.mark.parametrize(("text", "lead"), [
    ("By Anna Reyes, Staff Reporter\nThe council voted on Monday to close the old harbour road.",
     "The council voted on Monday to close the old harbour road."),
    ("Updated 14:05\nThe council voted on Monday to close the old harbour road.",
     "The council voted on Monday to close the old harbour road."),
    ("Tainan, Taiwan CNN —\nTaiwan's president has resigned as the leader of her party.",
     "Taiwan's president has resigned as the leader of her party."),
    ("VESTA, 4 Nov (Northern Wire) - The council voted on Monday to close the road.",
     "The council voted on Monday to close the road."),
    ("Arizona Republic\nPresident Joe Biden switched to chief executive mode on Wednesday.",
     "President Joe Biden switched to chief executive mode on Wednesday."),
])
def test_a_lead_is_the_first_sentence_that_states_news(text, lead):
    passage = passage_of(text)
    span = lead_of(passage)
    assert span is not None and text[span.start:span.end] == lead


@pytest.mark.skipif(not NEWS.is_dir(), reason="../shared/bench/news-2024 is not beside this checkout")
def test_on_real_news_this_week_cites_only_that_weeks_articles_with_their_own_sentences(embedder, tmp_path):
    """Asked as of each quiz date of news-2024, "What happened this week?" cites only articles from that Monday
    to that day, and each lead is a sentence of its article. Only the articles of some quiz week are indexed
    (375 of 2,004): no other article can be in any of these briefings."""
    questions = [json.loads(line) for line in (NEWS / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    days = sorted({date.fromisoformat(q["as_of"]) for q in questions})
    weeks = [(day - timedelta(days=day.weekday()), day) for day in days]
    folder = tmp_path / "articles"
    folder.mkdir()
    texts, dated = {}, {}
    for path in (NEWS / "articles").glob("*.md"):
        found = re.search(r'^date: "?(\d{4}-\d{2}-\d{2})', path.read_text(encoding="utf-8"), re.MULTILINE)
        if found and any(low <= date.fromisoformat(found[1]) <= high for low, high in weeks):
            shutil.copy(path, folder / path.name)
            texts[path.name], dated[path.name] = " ".join(path.read_text(encoding="utf-8").split()), found[1]
    bot = make_bot(embedder, folder, tmp_path / "index")
    bot.update_index()
    for (monday, day) in weeks:
        answer = bot.ask("What happened this week?", as_of=day.isoformat())
        within = [a for a, d in dated.items() if monday.isoformat() <= d <= day.isoformat()]
        assert bool(answer.briefing) == bool(within), day  # the last 8 quiz weeks hold no article of their days
        assert all(monday.isoformat() <= c.date <= day.isoformat() for c in answer.citations), day
        assert all(" ".join(c.quote.split()) in texts[c.article_id] for c in answer.citations)
        assert all(len(c.quote.split()) >= 6 for c in answer.citations)
        assert sum(s.reports for s in answer.briefing) <= len(within)
