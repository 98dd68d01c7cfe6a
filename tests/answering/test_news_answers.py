"""The questions a news reader asks of a story that moves, on tests/fixtures/fortnight: timelines dated by
what happened, the current figure, and "sources differ" only between like values on one day."""

from __future__ import annotations

import pytest

from assistant.answering.extractive import passage_terms, sentences_of
from assistant.answering.question import analyse
from assistant.answering.timeline import NO_LATER_EVENTS, NOT_YET, _day_of
from assistant.records.article import Passage, Span

from ..conftest import make_bot

FIRE, STRIKE = "the Marrowby chemical plant fire", "the Saltmere ferry strike"


def sentence_of(text: str, published: str):
    passage = Passage("a.md::0", "a.md", "A title", text, 0, len(text), [Span(0, len(text))], 0.0, date=published)
    [sentence] = sentences_of([passage], analyse("fire"), passage_terms([passage]))
    return sentence


@pytest.mark.parametrize(("text", "day"), [
    ("The safety board has opened an investigation into the fire, which began on Sunday night.", "2026-11-05"),
    ("Police evacuated 1,200 residents on Sunday night after a fire broke out at the plant.", "2026-11-01"),
    ("After talks collapsed on Friday, crews walked out on Saturday.", "2026-10-31"),
    ("A recount on Thursday confirmed Greta Vollan as the winner.", "2026-11-05"),
])
def test_an_event_is_dated_by_its_main_clause(text, day):
    assert _day_of(sentence_of(text, "2026-11-05")) == day  # a Thursday


@pytest.mark.parametrize(("text", "plan"), [
    ("Sailings were to resume on Saturday morning, the company said.", True),
    ("The board will publish its report in March.", True),
    ("Residents are expected to return home on Friday.", True),
    ("The first sailing left Tessingford at 06:30 on Tuesday.", False),
    ("Crews walked out on Wednesday.", False),
])
def test_plans_and_the_future_in_the_past_are_no_events(text, plan):
    assert bool(NOT_YET.search(text)) is plan


def test_a_timeline_tells_what_happened_each_passage_once(fortnight_bot):
    for topic in (FIRE, STRIKE):
        answer = fortnight_bot.timeline(topic, as_of="2026-11-15")
        quotes = [c.quote for c in answer.citations]
        assert quotes and not any(NOT_YET.search(q) for q in quotes), quotes  # "Sailings were to resume …"
        assert len({(c.article_id, c.passage_start) for c in answer.citations}) == len(answer.citations)
        days = [e.day for e in answer.timeline]
        assert days == sorted(days)
    strike = fortnight_bot.timeline(STRIKE, as_of="2026-11-15")
    assert strike.timeline[0].day == "2026-11-04"  # the strike began; nothing is dated before it
    fire = fortnight_bot.timeline(FIRE, as_of="2026-11-15")
    inquiry = [e.day for e, c in zip(fire.timeline, fire.citations) if "inquiry" in c.quote]
    assert inquiry == ["2026-11-05"]  # "the fire, which began on Sunday night" does not date the inquiry


def test_a_cut_timeline_keeps_what_most_outlets_carried(fortnight_bot, embedder):
    settings = fortnight_bot.settings
    short = make_bot(embedder, settings.articles_dir, settings.index_dir, timeline_events=2)
    answer = short.timeline(FIRE, as_of="2026-11-15")
    assert len(answer.timeline) == 2
    assert any("evacuated 1,200 residents" in c.quote for c in answer.citations)  # the biggest development
    assert all(c.carried_by for c in answer.citations)  # both carried by a second outlet


def test_what_happened_next_continues_after_the_events_shown(fortnight_bot, embedder):
    asked = "How did the Saltmere ferry strike develop last week?"
    first = fortnight_bot.ask(asked, as_of="2026-11-13")  # 2-8 Nov
    assert first.timeline and max(e.day for e in first.timeline) <= "2026-11-08"
    after = fortnight_bot.ask("What happened next?", history=[asked], as_of="2026-11-13")
    assert after.timeline and min(e.day for e in after.timeline) >= "2026-11-09"
    settings = fortnight_bot.settings
    short = make_bot(embedder, settings.articles_dir, settings.index_dir, timeline_events=2)
    shown = short.ask("How did the Saltmere ferry strike develop?", as_of="2026-11-13")
    then = short.ask("What happened next?", history=["How did the Saltmere ferry strike develop?"],
                     as_of="2026-11-13")
    last = max(e.day for e in shown.timeline)
    assert then.timeline and min(e.day for e in then.timeline) > last
    assert {c.quote for c in then.citations}.isdisjoint(c.quote for c in shown.citations)
    done = short.ask("What happened next?", history=["How did the Linden Valley rail line develop?"],
                     as_of="2026-11-15")  # two events, both shown the first time
    assert done.abstained and done.text == NO_LATER_EVENTS


def test_a_figure_asked_without_a_day_is_the_newest_with_how_it_moved(fortnight_bot):
    answer = fortnight_bot.ask("What is the death toll of the Cobbet Deep mine collapse?", as_of="2026-11-15")
    assert answer.short_answer.text == "14" and answer.citations[0].date == "2026-11-06"
    [moved] = answer.disagreements
    assert not moved.sources_differ and moved.line().startswith("Up from ")
    assert {v.date for v in moved.earlier} == {"2026-11-04"}


def test_a_figure_asked_for_one_day_gives_both_when_outlets_differ(fortnight_bot):
    answer = fortnight_bot.ask("What was the death toll of the Cobbet Deep collapse on Wednesday?",
                               as_of="2026-11-06")
    assert not answer.abstained and answer.short_answer.text in ("11", "12")
    [differ] = answer.disagreements
    assert differ.sources_differ and {v.same for v in differ.versions} == {"11", "12"}
    assert {v.publisher for v in differ.versions} >= {"Metro Ledger"} and differ.earlier == []
    assert differ.line().startswith("Sources differ: ")


def test_sources_differ_only_between_like_values_of_other_outlets(fortnight_bot):
    answer = fortnight_bot.ask("How much was the pay rise for the ferry crews?", as_of="2026-11-15")
    assert answer.short_answer.text == "6.5 percent"
    for differ in answer.disagreements:
        assert not differ.sources_differ  # the offers of other days moved; no outlet contradicts another
        assert all("percent" in v.value or "%" in v.value for v in differ.versions)


def test_a_name_that_did_not_do_the_asked_thing_is_no_other_version(fortnight_bot):
    """"Who opened an investigation?": the fire chief and the company in other reports did not open one, so
    they are no versions of the answer."""
    answer = fortnight_bot.ask("Who opened an investigation into the Marrowby fire?", as_of="2026-11-15")
    assert answer.short_answer.text == "Industrial Safety Board"
    assert answer.disagreements == []


def test_every_wire_copy_is_carried_by_the_report_it_copies(fortnight_bot):
    import json

    from ..conftest import ROOT

    expected = json.loads((ROOT / "tests" / "fixtures" / "fortnight-stories.json").read_text(encoding="utf-8"))
    book = fortnight_bot.stories.current()
    pairs = [pair for story in expected["stories"] for pair in story["wire_copies"]]
    assert len(pairs) == 4
    for first, copy in pairs:
        assert book.story_of(first) == book.story_of(copy)
        assert [c.article_id for c in book.carriers(first)] == [copy]
