"""End to end over the fixture corpus: one question per format, answered with a full citation.

Real bundled model (shared with the session), real Chroma in a temporary index folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Filters
from assistant.ingest.load import load_articles
from assistant.records.reports import UpdateReport

from ..conftest import make_bot

FORMATS = Path(__file__).parents[1] / "fixtures" / "formats"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def indexed(embedder, tmp_path_factory) -> tuple[Assistant, UpdateReport]:
    bot = make_bot(embedder, FORMATS, tmp_path_factory.mktemp("formats") / "index")
    return bot, bot.update_index()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    articles, _ = load_articles(FORMATS, 10**7)
    return {a.id: a.text for a in articles}


# question, article id, words of the quote, title, date, publisher, page
CASES = [
    ("Who said the Rotterdam dockworkers' walkout would continue?", "rotterdam-port-strike.txt",
     "Marieke de Vries", "Dockworkers strike halts container traffic at Rotterdam", "2025-03-04", "Harbour Herald",
     None),
    ("Who is the mission director of the Athena lunar lander?", "lunar-lander.md", "Priya Raman",
     "Private lander touches down near the Moon's south pole", "2025-02-20", "Orbit Weekly", None),
    ("How many soldiers were clearing mud in Paiporta?", "valencia-floods.html", "1,200 soldiers",
     "Flood waters recede in Valencia as rescuers reach cut-off villages", "2024-11-05", "Levante Daily", None),
    ("What did the Kenyan mobile money operator blame for the outage?", "mpesa-outage.json#1", "faulty software update",
     "Mobile money service restored after nine-hour outage in Kenya", "2025-01-13", "Nairobi Ledger", None),
    ("Who won the world rapid chess championship in New York?", "science-briefs.json#2", "Lukas Brenner",
     "Teenager wins the world rapid chess title in New York", "2024-12-28", "Chess Today", None),
    ("Which way was the lava flowing near Grindavik?", "science-briefs.json#1", "flowing west",
     "Volcano erupts again on Iceland's Reykjanes peninsula", "2025-04-01", "Nordic Science Wire", None),
    ("How many residents does the Cedar Canyon evacuation order now cover?", "wildfire-updates.jsonl#2",
     "9,000 residents", "Canyon wildfire grows as winds return", "2025-01-10", "Valley Post", None),
    ("How much drinking water will the Aqaba desalination plant supply each year?", "desalination-plant.pdf",
     "300 million cubic metres", "Coastal desalination plant opens in Aqaba", "2025-02-16", "Desert Water Review",
     2),
]


def test_corpus_indexes_every_format_and_reports_the_duplicate(indexed):
    _, report = indexed
    assert report.added == 9 and report.total_articles == 9
    assert [p.path for p in report.problems] == ["wildfire-updates.jsonl#3"]
    assert "same URL" in report.problems[0].reason


@pytest.mark.parametrize(("question", "article_id", "words", "title", "date", "publisher", "page"), CASES,
                         ids=[c[1] for c in CASES])
def test_each_format_is_answered_with_a_full_citation(indexed, texts, question, article_id, words, title, date,
                                                      publisher, page):
    bot, _ = indexed
    answer = bot.ask(question)
    assert not answer.abstained, question
    citation = next((c for c in answer.citations if c.article_id == article_id and words in c.quote), None)
    assert citation is not None, f"{question!r}: {[(c.article_id, c.quote) for c in answer.citations]}"
    assert texts[article_id][citation.start:citation.end] == citation.quote
    assert (citation.title, citation.date, citation.publisher, citation.page) == (title, date, publisher, page)


def test_latest_question_prefers_the_newer_report(indexed):
    bot, _ = indexed
    passages = bot.retrieve("What is the latest number of acres the Cedar Canyon wildfire has burned?", k=2)
    assert [p.article_id for p in passages] == ["wildfire-updates.jsonl#2", "wildfire-updates.jsonl#1"]
    answer = bot.ask("What is the latest number of acres the Cedar Canyon wildfire has burned?")
    assert "20,000 acres" in answer.text


def test_filters_by_source_file_and_date_range(indexed):
    bot, _ = indexed
    question = "How many acres has the Cedar Canyon wildfire burned?"
    early = bot.retrieve(question, k=3, filters=Filters(("Valley Post",), until="2025-01-09"))
    assert {p.article_id for p in early} == {"wildfire-updates.jsonl#1"}
    by_file = bot.retrieve(question, k=5, filters=Filters(("science-briefs.json",)))
    assert by_file and {p.article_id for p in by_file} <= {"science-briefs.json#1", "science-briefs.json#2"}
    year = bot.retrieve(question, k=10, filters=Filters(since="2024", until="2024"))
    assert year and {p.date[:4] for p in year} == {"2024"}
