"""Shared record helpers: filters, the article file, pages (types.page_at), dates as numbers, [n] markers."""

from __future__ import annotations

import pytest

from assistant.answering.citing import cite
from assistant.records.answer import strip_markers
from assistant.records.article import Passage, Span, file_of, page_at
from assistant.records.dates import date_number
from assistant.records.filters import Filters


def passage(chunk_id: str, date: str | None, source: str = "Wire", article_id: str | None = None) -> Passage:
    return Passage(chunk_id=chunk_id, article_id=article_id or chunk_id.split("::")[0], title=chunk_id, text="t",
                   start=0, end=1, sentences=[], score=0.0, date=date, source=source)


def test_strip_markers():
    assert strip_markers("It happened in Palmyra [1]. Then [12, 3] more.") == "It happened in Palmyra. Then more."


def test_file_of_a_feed_record_is_its_feed():
    assert (file_of("feed.jsonl#3"), file_of("a.md")) == ("feed.jsonl", "a.md")


def test_page_at_and_passage_page_of_agree():
    starts = [0, 100, 100, 250]  # page 3 is empty: it shares its start with page 4, which wins the tie
    assert [page_at(starts, o) for o in (0, 99, 100, 249, 250, 999)] == [1, 1, 3, 3, 4, 4]
    pages = passage("p::0", None)
    pages.pages = [(1, 40), (2, 100), (3, 100), (4, 250)]
    assert [pages.page_of(o) for o in (40, 99, 100, 260)] == [1, 1, 3, 4]
    assert passage("q::0", None).page_of(5) is None


def test_date_numbers_count_a_month_or_year_to_its_end_when_upper():
    assert date_number("2024-12-13") == 20241213
    assert (date_number("2024-12"), date_number("2024-12", upper=True)) == (20241200, 20241299)
    assert (date_number("2024"), date_number("2024", upper=True)) == (20240000, 20249999)
    assert date_number(None) is None and date_number("soon") is None


def test_filter_dates_are_normalised_and_whole_years_are_inclusive():
    filters = Filters(("Wire",), since="Dec 1, 2024", until="2025")
    assert (filters.since, filters.until) == ("2024-12-01", "2025")
    where = filters.where()
    assert {"date_number": {"$lte": 20259999}} in where["$and"]
    assert {"date_number": {"$gte": 20241201}} in where["$and"]


def test_source_filter_matches_publisher_article_or_feed_file():
    filters = Filters(("feed.jsonl",))
    assert {"file": {"$in": ["feed.jsonl"]}} in filters.where()["$or"]
    assert not Filters(("  ",))  # blank sources are no filter


@pytest.mark.parametrize(("since", "until"), [("yesterday", None), (None, "2024-13"), ("2025-02-01", "2025-01-01")])
def test_bad_filter_dates_are_refused_with_the_value(since, until):
    with pytest.raises(ValueError, match=r"since|until"):
        Filters(since=since, until=until)


def test_citation_source_is_a_deprecated_alias_of_article_id():
    cited = passage("feed.jsonl#3::0", None, article_id="feed.jsonl#3")
    citation = cite(1, cited, Span(0, 1), 0.5)
    with pytest.warns(DeprecationWarning, match="article_id"):
        assert citation.source == "feed.jsonl#3"
    assert citation.publisher == "Wire"


def test_a_citations_link_leaves_out_tracking_parameters() -> None:
    from assistant.records.article import Article

    article = Article("a.md", "A", "Text.", url="https://news.example/ferry?id=7&utm_source=rss&utm_medium=feed&fbclid=x")
    assert article.url == "https://news.example/ferry?id=7"
    assert Article("b.md", "B", "Text.", url="https://news.example/b?utm_source=rss").url == "https://news.example/b"
    assert Article("c.md", "C", "Text.", url="https://news.example/c").url == "https://news.example/c"
