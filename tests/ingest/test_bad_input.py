"""Every kind of bad input gets a message naming the file and the reason, and costs nothing else."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from assistant.ingest.load import Duplicate, load_articles, unreadable_files
from assistant.records.article import Article
from assistant.records.reports import Problem

from ..fixtures.pdfgen import pdf_bytes

GOOD = "good.txt"
GOOD_TEXT = "The harbour reopened on Monday after the storm, the port authority said."
ARTICLE_TEXT = "Officials said the bridge would reopen in May after repairs to its northern span."


def load_with(tmp_path: Path, name: str, data: bytes, limit: int = 10**6) -> tuple[list[Article], list[Problem]]:
    """Load a folder holding one good article and the file under test."""
    (tmp_path / GOOD).write_text(GOOD_TEXT, encoding="utf-8")
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    articles, problems = load_articles(tmp_path, limit)
    assert GOOD in [a.id for a in articles], "one bad file must never cost the others"
    for problem in problems:
        assert problem.reason.startswith(problem.path + " "), "every reason names its file first"
        assert " at at " not in problem.reason, problem.reason  # json's "starting at" meets our "at line"
    return articles, problems


def only_problem(problems: list[Problem], name: str, *words: str, skipped: bool = True) -> Problem:
    assert len(problems) == 1, problems
    [problem] = problems
    assert problem.path == name and problem.skipped is skipped
    for word in words:
        assert word in problem.reason, problem.reason
    return problem


def encrypted_pdf(user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes([[ARTICLE_TEXT]]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "words"), [
    ("empty.txt", b"", ["is empty"]),
    ("blank.md", b"  \n\n\t \n", ["has no text"]),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, ["binary"]),
    ("broken.json", b'{"title": "A", "text": "unterminated', ["not valid JSON", "line 1"]),
    ("numbers.json", b"[1, 2, 3]", ["no usable record", "record 1 is a int"]),
    ("scalar.json", b'"just a string"', ["holds a JSON str"]),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, ["nested too deeply"]),
    ("notext.json", json.dumps({"title": "Only a title", "url": "https://x.example/a"}).encode(), ["has no text"]),
    ("menu.html", b"<html><head><title>Menu</title><script>var a = 1;</script></head><body><nav><a href='/'>"
                  b"Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav><footer>(c) 2024</footer>"
                  b"</body></html>",
     ["has no article text"]),
    ("damaged.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", ["not a readable PDF"]),
    ("not-really.pdf", b"This is plain text saved with a .pdf name, not a PDF at all.", ["not a readable PDF"]),
    ("locked.pdf", encrypted_pdf("secret"), ["encrypted with a password"]),
    ("scan.pdf", pdf_bytes([[], []]), ["no extractable text"]),
    ("bad-front.md", b"---\ntitle: [unclosed\n---\nBody text here.", ["front matter", "not valid YAML"]),
    ("report.docx", b"PK\x03\x04 zipped", ["unsupported extension '.docx'", ".pdf"]),
    ("README", b"no extension at all", ["no extension"]),
])
def test_bad_file_is_skipped_with_its_reason(tmp_path: Path, name: str, data: bytes, words: list[str]):
    articles, problems = load_with(tmp_path, name, data)
    assert [a.id for a in articles] == [GOOD]
    only_problem(problems, name, *words)


def test_file_over_the_size_limit(tmp_path: Path):
    articles, problems = load_with(tmp_path, "huge.txt", b"word " * 400, limit=1000)
    assert [a.id for a in articles] == [GOOD]
    only_problem(problems, "huge.txt", "2,000 bytes", "limit of 1,000")


def test_invalid_utf8_is_read_with_a_fallback_and_a_warning(tmp_path: Path):
    data = "Le café a rouvert à Montréal, a déclaré la mairie lundi.".encode("cp1252")
    articles, problems = load_with(tmp_path, "latin.txt", data)
    [article] = [a for a in articles if a.id == "latin.txt"]
    assert "café" in article.text and "Montréal" in article.text
    only_problem(problems, "latin.txt", "not valid UTF-8", "cp1252", skipped=False)
    assert unreadable_files(problems) == set()  # a warning: the article was used


def test_utf16_with_a_bom_is_text_not_binary(tmp_path: Path):
    articles, problems = load_with(tmp_path, "wide.txt", ARTICLE_TEXT.encode("utf-16"))
    assert problems == [] and ARTICLE_TEXT in [a.text for a in articles]


def test_jsonl_broken_line_is_reported_by_number_and_the_rest_is_indexed(tmp_path: Path):
    lines = [json.dumps({"title": f"Story {n}", "text": f"{ARTICLE_TEXT} Story number {n}."}) for n in (1, 2, 4)]
    data = "\n".join([lines[0], lines[1], '{"title": "broken", "text": ', lines[2]]).encode()
    articles, problems = load_with(tmp_path, "feed.jsonl", data)
    assert sorted(a.id for a in articles) == sorted([GOOD, "feed.jsonl#1", "feed.jsonl#2", "feed.jsonl#4"])
    problem = only_problem(problems, "feed.jsonl", "line 3", "not valid JSON", "other records were used")
    assert unreadable_files([problem]) == {"feed.jsonl"}  # the line's earlier version stays in the index


def test_jsonl_line_separator_inside_a_string_does_not_break_the_line(tmp_path: Path):
    record = json.dumps({"title": "T", "text": f"{ARTICLE_TEXT}\u2028Second line."}, ensure_ascii=False)
    articles, problems = load_with(tmp_path, "sep.jsonl", record.encode())
    assert problems == [] and any(a.id == "sep.jsonl#1" for a in articles)


def test_jsonl_with_no_good_line_names_the_bad_lines(tmp_path: Path):
    _, problems = load_with(tmp_path, "all-bad.jsonl", b"{oops\n\n[1]\n")
    only_problem(problems, "all-bad.jsonl", "no usable record", "line 1", "line 3 is a list")


def test_unreadable_date_is_a_warning_and_the_article_is_kept(tmp_path: Path):
    data = json.dumps({"title": "T", "text": ARTICLE_TEXT, "date": "sometime soon"}).encode()
    articles, problems = load_with(tmp_path, "when.json", data)
    assert [a.date for a in articles if a.id == "when.json#1"] == [None]
    only_problem(problems, "when.json", "record 1", "sometime soon", "without a date", skipped=False)


def test_pdf_with_an_empty_user_password_opens(tmp_path: Path):
    articles, problems = load_with(tmp_path, "owner-only.pdf", encrypted_pdf(""))
    assert problems == [] and any(ARTICLE_TEXT in a.text for a in articles)


def test_identical_text_under_two_names_is_indexed_once(tmp_path: Path):
    articles, problems = load_with(tmp_path, "later-copy.md", f"# Another title\n\n{GOOD_TEXT}\n".encode())
    assert [a.id for a in articles] == [GOOD]
    problem = only_problem(problems, "later-copy.md", "same text as good.txt", "indexed once")
    assert isinstance(problem, Duplicate) and problem.original == GOOD
    assert unreadable_files(problems) == set()  # a stale copy in the index may be removed


def test_same_url_in_two_feeds_is_indexed_once(tmp_path: Path):
    feed = {"title": "T", "text": ARTICLE_TEXT, "url": "https://news.example/bridge"}
    (tmp_path / "a.json").write_text(json.dumps([feed]))
    again = feed | {"text": ARTICLE_TEXT + " Updated.", "url": "http://www.news.example/bridge/?utm_source=x"}
    articles, problems = load_with(tmp_path, "b.jsonl", json.dumps(again).encode())
    assert sorted(a.id for a in articles) == ["a.json#1", GOOD]
    only_problem(problems, "b.jsonl#1", "same URL as a.json#1")


def test_a_reader_crash_is_contained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from assistant.ingest import load

    def explode(data: bytes, context) -> list[Article]:
        raise KeyError("parser bug")

    monkeypatch.setitem(load.READERS, ".html", explode)
    _, problems = load_with(tmp_path, "odd.html", b"<p>anything</p>")
    only_problem(problems, "odd.html", "could not be read", "KeyError")


def test_huge_numbers_cost_one_line_or_one_date_not_the_file(tmp_path: Path):
    good = json.dumps({"title": "T", "text": ARTICLE_TEXT, "date": 10**400})
    data = "\n".join([good, '{"text": ' + "9" * 5000 + "}"]).encode()
    articles, problems = load_with(tmp_path, "numbers.jsonl", data)
    assert [a.date for a in articles if a.id == "numbers.jsonl#1"] == [None]
    warning, skipped = problems
    assert not warning.skipped and "line 1" in warning.reason and "without a date" in warning.reason
    assert skipped.skipped and "line 2 is not JSON this reader accepts" in skipped.reason
