"""Property-based: arbitrary text through loading and chunking never crashes, and every offset holds."""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.errors import ArticleError
from assistant.ingest.chunk import Chunker, split_sentences
from assistant.ingest.load import READERS, load_articles, load_file, normalize_text
from assistant.records.article import Article

WORDS = ["Dr.", "U.S.", "e.g.", "Jan.", "No.", "said", "the", "Minister", "3.5", "1,200", "“Yes.”", "‘No!’", "(AP)",
         "...", "?!", "…", "Mr.", "A.", "b.", "end.", "Who?", "stop!", "—", "x" * 40, "\n", "\n\n", " \n \n", "\t",
         "\r\n", "\u2028", "\u00a0", "e\u0301", "\ud83d\ude00", "\x00", "\x0b", "\u200b", "#", "---", "<p>", "&amp;"]
newsy = st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join)
anything = st.text(max_size=400)
texts = st.one_of(newsy, anything, st.builds(lambda a, b: a + b, newsy, anything))
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def word_counter(pieces):
    """A fake tokenizer: one token per word, so the properties run fast."""
    return [len(p.split()) for p in pieces]


def assert_normalized(text: str) -> None:
    assert text == text.strip()
    assert "\r" not in text and "\n\n\n" not in text
    assert all(ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in text)
    text.encode("utf-8")  # storable: no lone surrogates


@SETTINGS
@given(texts)
def test_normalize_text_is_clean_and_idempotent(raw: str):
    text = normalize_text(raw)
    assert_normalized(text)
    assert normalize_text(text) == text


@SETTINGS
@given(texts)
def test_sentences_are_exact_ordered_slices_that_lose_no_words(raw: str):
    text = normalize_text(raw)
    spans = split_sentences(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        sentence = text[span.start:span.end]
        assert sentence == sentence.strip() and "\n\n" not in sentence
        previous_end = span.end
    covered = "".join(text[s.start:s.end] for s in spans)
    assert "".join(covered.split()) == "".join(text.split())  # every non-space character is in a sentence


@SETTINGS
@given(texts, st.integers(min_value=8, max_value=40), st.integers(min_value=0, max_value=3))
def test_chunks_are_exact_slices_within_budget(raw: str, max_tokens: int, overlap: int):
    article = Article(id="a.txt", title="A", text=normalize_text(raw))
    chunks = Chunker(word_counter, max_tokens=max_tokens, overlap=overlap).run(article)
    assert bool(chunks) == bool(article.text.split())
    for number, chunk in enumerate(chunks):
        assert chunk.number == number and chunk.id == f"a.txt::{number}"
        assert article.text[chunk.start:chunk.end] == chunk.text
        assert chunk.sentences and chunk.sentences[0].start == chunk.start and chunk.sentences[-1].end == chunk.end
        for sentence in chunk.sentences:
            assert chunk.start <= sentence.start < sentence.end <= chunk.end
        assert sum(word_counter([article.text[s.start:s.end] for s in chunk.sentences])) <= max_tokens - 2
    words_in_chunks = "".join("".join(c.text.split()) for c in chunks)
    for word in article.text.split():
        assert word in words_in_chunks  # nothing dropped between chunks


def piece_counter(pieces):
    """A fake tokenizer that, like BERT's, cuts words at punctuation: "ab-ab-ab" is six pieces."""
    return [len(re.findall(r"\w+|[^\w\s]", p)) for p in pieces]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab- .", max_size=300))
@example("The list: " + "ab-" * 40 + "end. More text.")
def test_no_chunk_exceeds_the_budget_even_for_one_long_word(raw: str):
    article = Article(id="a.txt", title="A", text=normalize_text(raw))
    for chunk in Chunker(piece_counter, max_tokens=16).run(article):
        assert piece_counter([chunk.text])[0] <= 14


@SETTINGS
@given(st.binary(max_size=600) | texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
       st.sampled_from(sorted(READERS)))
def test_any_bytes_in_any_format_load_or_fail_with_a_reason(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x{suffix}"
        path.write_bytes(data)
        try:
            articles = load_file(path, path.name, 10**6, [])
        except ArticleError as error:
            assert str(error)
            return
    for article in articles:
        assert_normalized(article.text) if article.text else None
        assert article.text and article.title and article.content_hash
        assert article.date is None or len(article.date) == 10


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(["title", "text", "content", "url", "date", "source", "author"]),
                                st.one_of(texts, st.integers(), st.none(), st.lists(texts, max_size=2),
                                          st.dictionaries(st.just("name"), texts, max_size=1))),
                max_size=5))
def test_arbitrary_feed_records_never_stop_the_folder(records: list[dict]):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records))
        (base / "good.txt").write_text("The good article is always indexed, whatever the feed holds.")
        articles, problems = load_articles(base, 10**6)
    assert "good.txt" in {a.id for a in articles}
    for problem in problems:
        assert problem.reason.startswith(problem.path)
    for article in articles:
        assert article.text == normalize_text(article.text)
