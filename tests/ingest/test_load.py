"""The loader as a whole: the fixture corpus, the registry, hashes, normalisation and folder walking."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.ingest.load import (
    Duplicate,
    content_hash,
    load_articles,
    load_file,
    normalize_text,
    supported_extensions,
    unreadable_files,
    url_key,
)
from assistant.records.article import Article
from assistant.records.reports import Problem

FORMATS = Path(__file__).parents[1] / "fixtures" / "formats"


def test_fixture_corpus_has_every_format_and_loads_cleanly():
    articles, problems = load_articles(FORMATS, 10**7)
    suffixes = {Path(a.id.split("#")[0]).suffix for a in articles}
    assert suffixes == {".txt", ".md", ".html", ".json", ".jsonl", ".pdf"}
    assert all(a.title and a.text and a.date and a.content_hash for a in articles)
    assert all(a.source for a in articles), [a.id for a in articles if not a.source]
    # the syndicated copy in the JSONL feed carries the volcano story's URL: indexed once
    assert [(type(p), p.path) for p in problems] == [(Duplicate, "wildfire-updates.jsonl#3")]
    assert "science-briefs.json#1" in problems[0].reason
    assert len({a.id for a in articles}) == len(articles) == 9


def test_every_format_is_registered():
    for suffix in (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".pdf"):
        assert suffix in supported_extensions()


def test_warnings_reach_the_caller_of_load_file(tmp_path: Path):
    path = tmp_path / "old.txt"
    path.write_bytes("Caf\xe9 owners in the old town reopened on Friday.".encode("latin-1"))
    warnings: list[Problem] = []
    [article] = load_file(path, "old.txt", 10**6, warnings)
    assert article.text.startswith("Café owners")
    assert [(w.path, w.skipped) for w in warnings] == [("old.txt", False)]


def test_content_hash_is_unchanged_for_articles_without_new_fields():
    """Indexes built before authors and pages existed must not re-embed everything."""
    article = Article(id="a.txt", title="T", text="Body.", date="2024-01-01", source="S", url=None)
    digest = hashlib.sha256()
    for part in ("T", "2024-01-01", "S", None, "Body."):
        digest.update((part or "").encode("utf-8") + b"\x00")
    assert content_hash(article) == digest.hexdigest()
    assert content_hash(replace(article, author="W")) != content_hash(article)
    assert content_hash(replace(article, page_starts=[0])) != content_hash(article)


def test_hidden_files_are_ignored_and_a_missing_folder_is_an_error(tmp_path: Path):
    (tmp_path / ".draft.txt").write_text("A hidden draft that nobody should index.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("A story in a subfolder keeps its relative path.")
    articles, problems = load_articles(tmp_path, 10**6)
    assert [a.id for a in articles] == ["sub/story.txt"] and problems == []
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_articles(tmp_path / "missing", 10**6)


def test_unreadable_files_excludes_warnings_and_duplicates():
    problems = [
        Problem("broken.json", "broken.json is not valid JSON"),
        Problem("latin.txt", "latin.txt is not valid UTF-8", skipped=False),
        Duplicate("copy.txt", "copy.txt has the same text as a.txt", original="a.txt"),
    ]
    assert unreadable_files(problems) == {"broken.json"}


def test_url_key_ignores_scheme_www_slash_and_tracking():
    assert url_key("https://www.News.example/a/?utm_source=x&id=3") == url_key("http://news.example/a?id=3")
    assert url_key("https://news.example/a") != url_key("https://news.example/b")
    assert url_key(None) is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("Line one\nline two.\r\n\r\nNext  paragraph.", "Line one line two.\n\nNext paragraph."),
    ("A\u00a0B\u2003C\u3000D", "A B C D"),
    ("Para one.\u2029Para two.\u2028same para.", "Para one.\n\nPara two. same para."),
    ("bad \ud800 surrogate \x07 bell \ufeffbom", "bad surrogate bell bom"),
    ("cafe\u0301", "café"),
    ("\n\n  \t \n", ""),
])
def test_normalize_text(raw: str, expected: str):
    assert normalize_text(raw) == expected
    assert normalize_text(expected) == expected  # idempotent
