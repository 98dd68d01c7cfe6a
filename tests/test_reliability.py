"""The index survives kills, concurrent queries and concurrent updates (real model, real Chroma)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from assistant.ingest.chunk import Chunker
from assistant.ingest.load import load_articles
from assistant.search.stories import StoryBook
from assistant.store.locking import writer_lock
from assistant.store.manifest import Manifest

from .conftest import ASSISTANT_BIN, make_bot, run_cli

TOWNS = ["Arden", "Belmont", "Corrin", "Dunmore", "Elstree", "Fairlie", "Glenrock", "Harwick", "Ivybridge"]
TOPICS = ["library", "bridge", "market", "school", "harbour", "museum", "stadium", "clinic"]


def write_corpus(folder: Path, count: int, seed: int = 7) -> None:
    """Small synthetic news articles, each with facts only it holds."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        town, topic = rng.choice(TOWNS), rng.choice(TOPICS)
        (folder / f"local-{i:03d}.md").write_text(
            f"# {town} {topic} news {i}\n\n"
            f"The {town} council voted {rng.randint(3, 9)} to {rng.randint(0, 2)} on plan {i} for the new {topic}. "
            f"Councillor Ada{i} Quell said the {topic} would open in {rng.choice(['May', 'June', 'July'])}. "
            f"Residents of {town} collected {rng.randint(100, 999)} signatures about item {i}.\n"
        )


def expected_chunk_ids(embedder, settings, folder: Path) -> set[str]:
    articles, _ = load_articles(folder, settings.max_article_bytes)
    chunker = Chunker(embedder.count_tokens, settings.chunk_tokens, settings.chunk_overlap_sentences)
    return {c.id for a in articles for c in chunker.run(a)}


def assert_exact(bot, embedder, folder: Path) -> None:
    """Chroma holds exactly the chunks of the current articles; the manifest agrees."""
    stored = bot.store.collection.get(include=[])["ids"]
    assert len(stored) == len(set(stored))
    assert set(stored) == expected_chunk_ids(embedder, bot.settings, folder)
    articles, _ = load_articles(folder, bot.settings.max_article_bytes)
    manifest = Manifest.load(bot.settings.manifest_path)
    assert {k: v.hash for k, v in manifest.articles.items()} == {a.id: a.content_hash for a in articles}
    assert manifest.chunk_count == len(stored)
    assert bot.status().consistent


def start_index(articles: Path, index: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ASSISTANT_BIN), "--articles", str(articles), "--index", str(index), "index", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "ASSISTANT_UPDATE_BATCH_CHUNKS": "24", **env},
    )


def manifest_articles(index: Path) -> int:
    try:
        return len(Manifest.load(index / "manifest.sqlite").articles)
    except ValueError:  # not written yet
        return 0


def test_update_killed_at_several_points_is_repaired(embedder, tmp_path):
    articles, index = tmp_path / "articles", tmp_path / "index"
    write_corpus(articles, 200)
    kills = []
    for threshold, edit in ((1, None), (60, "edit"), (120, "delete")):
        if edit == "edit":
            (articles / "local-000.md").write_text("# Changed\n\nThe Arden library closed for good on Friday.\n")
        elif edit == "delete":
            (articles / "local-001.md").unlink()
        process = start_index(articles, index)
        deadline = time.monotonic() + 240
        while manifest_articles(index) < threshold and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(random.uniform(0.05, 0.4))  # somewhere inside the next batch
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills.append(threshold)
        process.wait()
        # the interrupted index still answers
        answer = make_bot(embedder, articles, index).ask("What did the Arden council vote on?")
        assert answer.text
    assert len(kills) >= 2, "the update finished before it could be killed: the test proves nothing"

    finished = run_cli("--articles", str(articles), "--index", str(index), "index", "--json")
    assert finished.returncode == 0, finished.stderr
    assert_exact(make_bot(embedder, articles, index), embedder, articles)
    again = json.loads(run_cli("--articles", str(articles), "--index", str(index), "index", "--json").stdout)
    assert again["chunks"] == 0 and again["added"] == again["updated"] == again["removed"] == 0


def test_queries_during_an_update_never_fail_nor_break_citations(embedder, seed_copy, tmp_path):
    bot = make_bot(embedder, seed_copy, tmp_path / "index", update_batch_chunks=16)
    bot.update_index()
    write_corpus(seed_copy, 200, seed=11)
    texts = {a.id: a.text for a in load_articles(seed_copy, 10**7)[0]}
    errors: list[BaseException] = []
    checked: list[int] = []
    updating = threading.Thread(target=bot.update_index)

    def ask_many(worker: int) -> None:
        questions = ["Who confirmed the Palmyra attack?", "What did the Belmont council vote on?",
                     "How many signatures did residents of Corrin collect?", "Who said the museum would open?"]
        for i in range(worker, 50, 5):
            try:
                answer = bot.ask(questions[i % len(questions)])
                for c in answer.citations:
                    assert texts[c.article_id][c.start:c.end] == c.quote
                checked.append(len(answer.citations))
            except BaseException as error:  # collected and reported below
                errors.append(error)

    updating.start()
    askers = [threading.Thread(target=ask_many, args=(w,)) for w in range(5)]
    for thread in askers:
        thread.start()
    for thread in [*askers, updating]:
        thread.join(300)
    assert errors == []
    assert len(checked) == 50 and sum(checked) > 0
    assert bot.status().consistent and bot.status().articles == 201


def test_two_updates_at_once_one_refuses_clearly(embedder, tmp_path):
    articles, index = tmp_path / "articles", tmp_path / "index"
    write_corpus(articles, 200, seed=3)
    first = start_index(articles, index, ASSISTANT_LOCK_TIMEOUT="0")
    second = start_index(articles, index, ASSISTANT_LOCK_TIMEOUT="0")
    outcomes = sorted([(p.wait(300), p.communicate()) for p in (first, second)], key=lambda o: o[0])
    (ok_code, (ok_out, _)), (busy_code, (_, busy_err)) = outcomes
    assert ok_code == 0 and json.loads(ok_out)["added"] == 200
    assert busy_code == 2
    assert "another update of the index" in busy_err and "is running" in busy_err and "process" in busy_err
    assert "Traceback" not in busy_err
    assert_exact(make_bot(embedder, articles, index), embedder, articles)


def test_a_waiting_update_runs_after_the_first(embedder, tmp_path):
    articles, index = tmp_path / "articles", tmp_path / "index"
    write_corpus(articles, 60, seed=5)
    first, second = start_index(articles, index), start_index(articles, index)
    reports = [json.loads(p.communicate(timeout=300)[0]) for p in (first, second)]
    assert sorted(r["added"] for r in reports) == [0, 60]
    assert_exact(make_bot(embedder, articles, index), embedder, articles)


@pytest.mark.e2e
def test_a_waiting_update_says_so_at_once_then_reports(tmp_path):
    articles, index = tmp_path / "articles", tmp_path / "index"
    write_corpus(articles, 2, seed=9)
    with writer_lock(index, timeout=0):  # another writer holds the index
        waiting = start_index(articles, index, ASSISTANT_LOCK_TIMEOUT="120")
        first_line = waiting.stderr.readline()  # said before the lock is free, or this would block
        assert waiting.poll() is None, first_line
    report, errors = waiting.communicate(timeout=300)
    assert first_line.startswith("Another update of the index is running (process "), first_line
    assert "waiting up to 120 s" in first_line
    assert waiting.returncode == 0, errors
    assert json.loads(report)["added"] == 2


@pytest.mark.parametrize("damage", ["manifest", "damaged manifest", "keyword-index", "file records and stories",
                                    "older version"])
def test_damaged_side_files_are_rebuilt_from_the_store(embedder, seed_copy, tmp_path, damage):
    bot = make_bot(embedder, seed_copy, tmp_path / "index")
    bot.update_index()
    settings = bot.settings
    legacy = [settings.index_dir / name for name in ("manifest.json", "files.json", "stories.json")]
    if damage == "manifest":
        settings.manifest_path.unlink()
    elif damage == "damaged manifest":
        settings.manifest_path.write_bytes(b"SQLite format 3\x00 and then nothing")
    elif damage == "keyword-index":
        (settings.lexical_dir / "stamp.json").write_text("{broken")
    elif damage == "file records and stories":
        settings.file_cache_path.write_bytes(b"not a database")
        settings.stories_path.write_bytes(b"SQLite format 3\x00 and then nothing")
    else:  # an index made when these were JSON files: the first update moves it on
        for path in (settings.manifest_path, settings.file_cache_path, settings.stories_path):
            path.unlink()
        for path in legacy:
            path.write_text("{}")
    fresh = make_bot(embedder, seed_copy, tmp_path / "index")
    report = fresh.update_index()
    assert report.chunks == 0 and report.unchanged == 1 and not report.rebuilt
    assert ("rebuilt from the stored passages" in report.note) == (damage == "damaged manifest")
    assert not any(path.exists() for path in legacy)
    assert StoryBook.saved_stamp(settings.stories_path) == fresh.store.stamp()  # signed again
    assert fresh.update_index().chunks == 0  # and the next update finds everything in step
    assert "Sean Parnell" in fresh.ask("Who confirmed the Palmyra attack?").text
    assert_exact(fresh, embedder, seed_copy)
