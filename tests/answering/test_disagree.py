"""Sources that disagree: every version of the asked figure is cited with its date and publisher, newest
first; undated documents and a single source never make a disagreement."""

from __future__ import annotations

import pytest

from assistant.answering.disagree import same_value
from assistant.faces.render import chat_answer, sources_text
from assistant.records.wire import answer_dict

from ..conftest import make_bot

LATEST = "What is the latest death toll from the Halden bridge collapse?"


@pytest.mark.parametrize(("first", "second"), [("six", "6"), ("1,200", "1200"), ("twenty-one", "21"),
                                               ("two thousand", "2,000"), ("Marta  Koss", "marta koss")])
def test_one_value_spelled_two_ways_is_one_version(first: str, second: str) -> None:
    assert same_value(first) == same_value(second)


def test_different_values_stay_apart() -> None:
    assert len({same_value(v) for v in ("five", "six", "5.5", "Marta Koss", "Tomas Varga")}) == 5


def test_outlets_that_give_other_figures_are_each_cited_newest_first(story_bot) -> None:
    answer = story_bot.ask(LATEST)
    assert answer.short_answer.text == "eight"
    [differ] = answer.disagreements
    versions = [(v.value, v.date, v.publisher) for v in differ.versions]
    assert versions[0] == ("eight", "2024-12-14", "Coastal Herald")
    assert [v[1] for v in versions] == sorted((v[1] for v in versions), reverse=True)
    assert {("five", "2024-12-11", "Valley Times"), ("six", "2024-12-11", "Coastal Herald")} <= set(versions)
    cited = {c.n: c for c in answer.citations}
    for version in differ.versions:  # each version is a citation quoting it, with its date and publisher
        assert version.value in cited[version.n].quote and cited[version.n].date == version.date
    line = differ.line()  # the newest day has one figure: the earlier ones say how it moved
    assert line.startswith("Up from seven [5] (Valley Times, 13 Dec 2024); ") and not differ.sources_differ
    assert line in sources_text(answer) and "*Up from seven" in chat_answer(answer)
    assert answer_dict(answer)["disagreements"][0]["line"] == line


def test_each_article_gives_the_figure_that_counts_what_was_asked(story_bot) -> None:
    """"How many people died": the 9 Dec article's version is "two" (of "two people had died"), not the "three
    vehicles" its first sentence counts, and the toll reports of later days are versions too."""
    answer = story_bot.ask("How many people died in the Halden bridge collapse?", as_of="2024-12-11")
    assert "three" not in answer.short_answer.text
    [differ] = answer.disagreements
    versions = {v.date: v.value for v in differ.versions}
    assert versions["2024-12-09"] == "two" and versions["2024-12-10"] == "four"


def test_one_source_or_undated_documents_make_no_disagreement(story_bot, embedder, tmp_path) -> None:
    assert story_bot.ask("How many visitors came to the Marren winter festival?").disagreements == []
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The death toll from the Halden bridge collapse rose to four, officials said.")
    (folder / "b.txt").write_text("The death toll from the Halden bridge collapse rose to six, police said.")
    bot = make_bot(embedder, folder, tmp_path / "index")
    bot.update_index()
    answer = bot.ask("What was the death toll from the Halden bridge collapse?")
    assert answer.short_answer is not None and answer.disagreements == []
    assert "Sources differ" not in sources_text(answer)


def test_only_like_values_differ(embedder, tmp_path) -> None:
    """A share is no other version of a headcount: two outlets' figures about a ferry deal, "6.5 percent" and
    "320 crew members", are not "sources differ"; two counts of the crew are."""
    from types import SimpleNamespace

    from assistant.answering.disagree import value_kind
    from assistant.answering.spans import Candidate
    from assistant.records.query import Kind

    def kind(text: str, span: str) -> str:
        at = text.index(span)
        return value_kind(SimpleNamespace(text=text), Candidate(at, at + len(span), span, Kind.NUMBER))

    assert kind("Unions won a 6.5 percent pay rise.", "6.5") == kind("a 6.5% rise", "6.5") == "share"
    assert kind("The deal covers 320 crew members.", "320") == kind("Eight people died.", "Eight") == "count"
    assert kind("Insulin will cost 35 dollars a month.", "35") == "money"
    assert kind("Mayor Ilse Brandt spoke.", "Ilse Brandt") == "name"

    articles = tmp_path / "articles"
    articles.mkdir()
    for name, date, source, text in [
        ("a.md", "2024-11-20", "Harbour Post", "The deal covers 320 crew members of the ferry line."),
        ("b.md", "2024-11-21", "Valley Times", "Unions won a 6.5 percent pay rise for the ferry crew members."),
        ("c.md", "2024-11-22", "Northern Wire", "The deal covers 340 crew members of the ferry line, the union said."),
    ]:
        (articles / name).write_text(f"---\ntitle: Ferry deal {name}\ndate: {date}\nsource: {source}\n---\n\n{text}\n",
                                     encoding="utf-8")
    bot = make_bot(embedder, articles, tmp_path / "index")
    bot.update_index()
    answer = bot.ask("How many crew members does the ferry deal cover?")
    values = [v.value for d in answer.disagreements for v in d.versions]
    assert "6.5" not in " ".join(values) and "6.5 percent" not in " ".join(values)
    assert set(values) >= {"320", "340"}, values


def test_one_outlets_two_reports_of_a_day_are_no_sources_that_differ() -> None:
    from assistant.records.versions import Disagreement, Version

    same_outlet = Disagreement([Version("six", 1, "2024-12-11", "Coastal Herald", "a.md", "6", 6.0),
                                Version("five", 2, "2024-12-11", "Coastal Herald", "b.md", "5", 5.0)], "6")
    assert not same_outlet.sources_differ and not same_outlet.line().startswith("Sources differ")
    two = Disagreement([Version("six", 1, "2024-12-11", "Coastal Herald", "a.md", "6", 6.0),
                        Version("five", 2, "2024-12-11", "Valley Times", "b.md", "5", 5.0),
                        Version("four", 3, "2024-12-10", "Northern Wire", "c.md", "4", 4.0)], "6")
    assert two.sources_differ
    assert two.line() == ("Sources differ: six [1] (Coastal Herald, 11 Dec 2024); five [2] (Valley Times, 11 Dec 2024)"
                          " · earlier: four [3] (Northern Wire, 10 Dec 2024)")
    rose = Disagreement([Version("eight", 1, "2024-12-14", "A", "a.md", "8", 8.0),
                         Version("seven", 2, "2024-12-13", "B", "b.md", "7", 7.0)], "8")
    assert rose.line() == "Up from seven [2] (B, 13 Dec 2024)"
    fell = Disagreement([Version("3", 1, "2024-12-14", "A", "a.md", "3", 3.0),
                         Version("7", 2, "2024-12-13", "B", "b.md", "7", 7.0)], "7")
    assert fell.line() == "Latest: 3 [1] (A, 14 Dec 2024) · down from 7 [2] (B, 13 Dec 2024)"
