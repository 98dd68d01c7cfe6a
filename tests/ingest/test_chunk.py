"""Sentence splitting and chunking, with a fake counter for speed and the real tokenizer for the bound."""

from __future__ import annotations

import pytest

from assistant.ingest.chunk import Chunker, split_sentences
from assistant.ingest.load import load_file, normalize_text
from assistant.records.article import Article

from ..conftest import SEED_ARTICLE, SEEDS


def sentences_of(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


def word_counter(texts):
    return [len(t.split()) for t in texts]


def test_abbreviations_do_not_end_sentences():
    text = normalize_text("U.S.\nPresident Donald Trump spoke. Then said Dr.\nEmily Carter: fine. Mr. Smith left.")
    assert sentences_of(text) == [
        "U.S. President Donald Trump spoke.",
        "Then said Dr. Emily Carter: fine.",
        "Mr. Smith left.",
    ]


def test_quotes_close_sentences_and_questions_split():
    text = "‘We will win.’ He left. Did he? Yes! 3 people came."
    assert sentences_of(text) == ["‘We will win.’", "He left.", "Did he?", "Yes!", "3 people came."]


def test_seed_article_stray_breaks_read_as_one_sentence():
    article = load_file(SEEDS / SEED_ARTICLE, SEED_ARTICLE, 10**7)[0]
    found = sentences_of(article.text)
    assert any(s.startswith("U.S. President Donald Trump, who has faced criticism") for s in found)
    assert any("said Dr. Emily Carter, a Middle East analyst at Columbia University." in s for s in found)
    assert not any(s in ("U.S.", "Dr.") or s.endswith(" Dr.") for s in found)


def test_sentences_never_cross_paragraphs():
    text = "First paragraph without a stop\n\nSecond one. Third"
    assert sentences_of(text) == ["First paragraph without a stop", "Second one.", "Third"]


def test_chunks_keep_offsets_and_whole_sentences():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    article = Article(id="a.txt", title="A", text=text)
    chunks = Chunker(word_counter, max_tokens=30, overlap=1).run(article)
    assert len(chunks) > 3
    ends = {s.end for s in split_sentences(text)}
    for number, chunk in enumerate(chunks):
        assert chunk.id == f"a.txt::{number}"
        assert text[chunk.start:chunk.end] == chunk.text
        assert chunk.end in ends  # never mid-sentence
        assert sum(word_counter([text[s.start:s.end] for s in chunk.sentences])) <= 28
    # overlap: each chunk starts with the last sentence of the previous one
    for previous, chunk in zip(chunks, chunks[1:]):
        assert chunk.sentences[0] == previous.sentences[-1]
    assert chunks[-1].end == len(text)


def test_overly_long_sentence_is_cut_at_words_within_budget():
    text = " ".join(["word"] * 100) + "."
    chunks = Chunker(word_counter, max_tokens=20, overlap=0).run(Article(id="x", title="x", text=text))
    assert len(chunks) >= 5
    for chunk in chunks:
        assert len(chunk.text.split()) <= 18
        assert text[chunk.start:chunk.end] == chunk.text


@pytest.mark.parametrize("bad", [{"max_tokens": 4}, {"max_tokens": 100, "overlap": -1}])
def test_bad_settings_are_named(bad):
    with pytest.raises(ValueError, match=next(iter(bad)) if "overlap" not in bad else "overlap"):
        Chunker(word_counter, **bad)


def test_chunks_fit_the_real_model(embedder):
    """Counted with MiniLM's own tokenizer, no chunk exceeds its window (it would be truncated)."""
    article = load_file(SEEDS / SEED_ARTICLE, SEED_ARTICLE, 10**7)[0]
    chunker = Chunker(embedder.count_tokens, min(200, embedder.max_tokens), 1)
    chunks = chunker.run(article)
    assert len(chunks) >= 2
    with_special_tokens = [n + 2 for n in embedder.count_tokens([c.text for c in chunks])]  # [CLS] … [SEP]
    assert max(with_special_tokens) <= 200 <= embedder.max_tokens
