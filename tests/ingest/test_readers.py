"""Each format's reader on the fixture corpus: text, title, date, source, author, URL and PDF pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import ArticleError
from assistant.ingest.load import load_file
from assistant.ingest.readers.html import fragment_to_text
from assistant.records.article import Article, Chunk, Span
from assistant.records.dates import normalize_date
from assistant.records.reports import Problem
from assistant.store.chroma import ChromaStore
from assistant.store.pdf_pages import chunk_pages, page_at

from ..fixtures.pdfgen import pdf_bytes

FORMATS = Path(__file__).parents[1] / "fixtures" / "formats"
LIMIT = 10**7


def load(name: str, problems: list[Problem] | None = None) -> list[Article]:
    return load_file(FORMATS / name, name, LIMIT, problems)


def test_text_with_front_matter():
    [article] = load("rotterdam-port-strike.txt")
    assert article.title == "Dockworkers strike halts container traffic at Rotterdam"
    assert (article.date, article.source) == ("2025-03-04", "Harbour Herald")
    assert article.url == "https://harbourherald.example/rotterdam-strike"
    assert article.text.startswith("Container traffic at the Port of Rotterdam came to a standstill")
    assert "---" not in article.text and "title:" not in article.text


def test_markdown_front_matter_wins_over_heading_and_source_object_gives_its_name():
    [article] = load("lunar-lander.md")
    assert article.title == "Private lander touches down near the Moon's south pole"
    assert article.date == "2025-02-20"  # from an ISO timestamp
    assert article.source == "Orbit Weekly"
    assert article.author == "Tomás Ferreira"
    assert not article.text.startswith("#") and "A headline the front matter overrides" not in article.text


def test_html_main_text_and_metadata_without_page_furniture():
    problems: list[Problem] = []
    [article] = load("valencia-floods.html", problems)
    assert article.title == "Flood waters recede in Valencia as rescuers reach cut-off villages"
    assert (article.date, article.source, article.author) == ("2024-11-05", "Levante Daily", "Ana García")
    assert article.url == "https://levantedaily.example/2024/11/05/valencia-floods-recede"
    assert "1,200 soldiers and 800 volunteers" in article.text
    for furniture in ("trackPageView", "font-family", "Sport", "cookies", "Advertisement", "Reader42",
                      "Ten recipes", "All rights reserved", "<p>"):
        assert furniture not in article.text
    assert not article.text.startswith(article.title)  # the headline is the title, not a paragraph
    assert article.text.count("\n\n") >= 2  # paragraphs kept apart
    assert problems == []


@pytest.mark.parametrize(("meta", "expected"), [
    ('<meta property="article:published_time" content="2023-05-06T23:10:00-04:00">', "2023-05-06"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2022-01-31"}</script>',
     "2022-01-31"),
    ("", None),
])
def test_html_date_sources(tmp_path: Path, meta: str, expected: str | None):
    body = "".join(f"<p>Paragraph {i} tells the readers of this page what happened in the harbour.</p>"
                   for i in range(4))
    time_tag = '<time datetime="2021-07-08">8 July</time>' if expected is None else ""
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>T</title>{meta}</head><body><article>{body}</article></body></html>")
    assert load_file(page, "page.html", LIMIT)[0].date == expected
    if expected is None:  # a <time> element in the article is a date source too
        page.write_text(f"<html><head><title>T</title></head><body><article>{time_tag}{body}</article></body></html>")
        assert load_file(page, "page.html", LIMIT)[0].date == "2021-07-08"


def test_json_single_record_with_html_content():
    [article] = load("mpesa-outage.json")
    assert article.id == "mpesa-outage.json#1"
    assert (article.date, article.source, article.author) == ("2025-01-13", "Nairobi Ledger", "Daniel Otieno")
    assert "<p>" not in article.text and article.text.count("\n\n") == 2
    assert article.url == "https://nairobiledger.example/business/mobile-money-outage"


def test_json_news_api_response_is_a_list_of_records():
    first, second = load("science-briefs.json")
    assert [first.id, second.id] == ["science-briefs.json#1", "science-briefs.json#2"]
    assert (first.source, first.date, first.author) == ("Nordic Science Wire", "2025-04-01", "Sigrid Olsen")
    assert (second.source, second.date) == ("Chess Today", "2024-12-28")  # "December 28, 2024"
    assert "Lukas Brenner" in second.text


def test_jsonl_records_are_numbered_by_line():
    articles = load("wildfire-updates.jsonl")
    assert [a.id for a in articles] == [f"wildfire-updates.jsonl#{n}" for n in (1, 2, 3)]
    assert [a.date for a in articles[:2]] == ["2025-01-08", "2025-01-10"]
    assert all(a.source for a in articles)


def test_pdf_text_by_page_with_metadata():
    [article] = load("desalination-plant.pdf")
    assert article.title == "Coastal desalination plant opens in Aqaba"
    assert (article.date, article.author, article.source) == ("2025-02-16", "Omar Khalil", "Desert Water Review")
    assert article.page_starts is not None and len(article.page_starts) == 2
    second = article.page_starts[1]
    assert article.text[second:].startswith("Capacity and cost")
    assert article.text.index("300 million cubic metres") > second
    assert article.text.index("Rania Haddad") < second


def test_pdf_empty_pages_keep_their_numbers(tmp_path: Path):
    path = tmp_path / "gaps.pdf"
    path.write_bytes(pdf_bytes([[], ["Page two says the dam is full."], [], ["Page four says rain is due."]]))
    [article] = load_file(path, "gaps.pdf", LIMIT)
    starts = article.page_starts
    assert len(starts) == 4
    assert page_at(starts, article.text.index("dam")) == 2
    assert page_at(starts, article.text.index("rain")) == 4


def test_page_of_a_quote_survives_the_store_round_trip():
    pages = ["First page sentence.", "Second page one. Second page two.", "Third page."]
    text = "\n\n".join(pages)
    starts = [text.index(p) for p in pages]
    article = Article(id="r.pdf", title="R", text=text, page_starts=starts)
    quotes = ["First page sentence.", "Second page one.", "Second page two.", "Third page."]
    spans = [Span(text.index(q), text.index(q) + len(q)) for q in quotes]
    start = 6  # the chunk starts inside page 1
    chunk = Chunk(id="r.pdf::0", article_id="r.pdf", number=0, text=text[start:], start=start, end=len(text),
                  sentences=spans)
    meta = ChromaStore._metadata(article, chunk)
    assert json.loads(meta["pages"]) == [[1, 0], [2, starts[1]], [3, starts[2]]]
    passage = ChromaStore._passage("r.pdf::0", chunk.text, meta)
    assert [passage.page_of(s.start) for s in spans] == [1, 2, 2, 3]
    later = Chunk(id="r.pdf::1", article_id="r.pdf", number=1, text=text[spans[2].start:spans[2].end],
                  start=spans[2].start, end=spans[2].end)
    assert json.loads(ChromaStore._metadata(article, later)["pages"]) == [[2, starts[1]]]
    assert chunk_pages(Article(id="a", title="A", text=text), 0, 5) is None  # not a PDF: no pages stored


def test_author_and_file_reach_the_store_metadata():
    article = Article(id="feed.jsonl#4", title="T", text="Some text.", author="A. Writer", date="2024-01-02")
    chunk = Chunk(id="feed.jsonl#4::0", article_id=article.id, number=0, text="Some text.", start=0, end=10)
    meta = ChromaStore._metadata(article, chunk)
    assert (meta["author"], meta["file"], meta["date_number"]) == ("A. Writer", "feed.jsonl", 20240102)
    assert "pages" not in meta
    passage = ChromaStore._passage(chunk.id, chunk.text, meta)
    assert passage.author == "A. Writer" and passage.page_of(0) is None


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-12-13", "2024-12-13"), ("2024-12-13T23:30:00-05:00", "2024-12-13"), ("D:20241213120000Z", "2024-12-13"),
    ("Fri, 13 Dec 2024 10:00:00 GMT", "2024-12-13"), ("December 13, 2024", "2024-12-13"),
    ("13 Dec 2024", "2024-12-13"), ("Friday, December 13th, 2024", "2024-12-13"), ("2024/12/13", "2024-12-13"),
    ("13.12.2024", "2024-12-13"), (1734082200, "2024-12-13"), (1734082200000, "2024-12-13"), ("", None), (None, None),
])
def test_dates_normalise_to_iso(value, expected):
    assert normalize_date(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2024-02-30", "13/12/2024", 2024, True, [2024], "0000-00-00"])
def test_unreadable_dates_raise(value):
    with pytest.raises(ValueError):
        normalize_date(value)


def test_html_fragments_in_feeds_become_paragraphs():
    text = fragment_to_text("<p>One <b>bold</b> line.</p><script>alert(1)</script><p>Two</p>")
    assert " ".join(text.split()) == "One bold line. Two" and "\n\n" in text
    assert fragment_to_text("3 < 4 and 5 > 2") == "3 < 4 and 5 > 2"  # not HTML: left alone


def bomb_pdf(decoded_bytes: int, pages: int) -> bytes:
    """A PDF of ``pages`` pages whose content streams are small on disk and each decode to ``decoded_bytes`` of
    text operators: a decompression bomb."""
    import re
    import zlib

    stream = zlib.compress(b"BT (a) Tj ET\n" * (decoded_bytes // 13), 9)
    bomb = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)
    ordinary = pdf_bytes([["The harbour reopened."]] * pages)
    # every page's content stream (the objects that hold "stream") becomes the bomb; pypdf repairs the offsets
    return re.sub(rb"<< /Length \d+ >>\nstream\n.*?\nendstream", lambda _: bomb, ordinary, flags=re.DOTALL)


@pytest.mark.timeout(30)  # without the budget, pypdf parses 60 MB of text operators per page: ~7 s each
def test_a_decompression_bomb_stops_at_the_stream_budget(tmp_path):
    data = bomb_pdf(60 * 1024 * 1024, pages=6)  # 360 MB of operators (each under the 75 MB cap) in < 1 MB
    assert len(data) < 1_000_000
    path = tmp_path / "bomb.pdf"
    path.write_bytes(data)
    with pytest.raises(ArticleError, match="no extractable text"):
        load_file(path, "bomb.pdf", max_bytes=10_000_000)
