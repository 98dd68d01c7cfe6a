"""The terminal contract, run as a user would: the installed `assistant` command in a child process."""

from __future__ import annotations

import json

import pytest

from assistant.faces.cli.main import build_parser, format_report
from assistant.ingest.load import load_file
from assistant.records.reports import Problem, UpdateReport

from ..conftest import SEED_ARTICLE, run_cli


@pytest.mark.e2e
def test_index_then_ask_json_contract(seed_copy, tmp_path):
    env = {"ASSISTANT_ARTICLES_DIR": str(seed_copy), "ASSISTANT_INDEX_DIR": str(tmp_path / "index")}
    indexed = run_cli("index", "--json", env=env)
    assert indexed.returncode == 0, indexed.stderr
    report = json.loads(indexed.stdout)
    assert set(report) >= {"added", "updated", "removed", "unchanged", "chunks", "seconds"}
    assert report["added"] == 1 and report["chunks"] > 0

    asked = run_cli("--articles", str(seed_copy), "--index", str(tmp_path / "index"),
                    "ask", "Who confirmed the Palmyra attack?", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert "Sean Parnell" in answer["answer"] and answer["abstained"] is False
    assert answer["short_answer"]["text"] == "Sean Parnell" and answer["answer"].startswith("Sean Parnell: ")
    first = answer["citations"][0]
    assert set(first) >= {"n", "title", "article_id", "quote", "start", "end", "score", "publisher"}
    assert first["n"] == 1 and first["article_id"] == SEED_ARTICLE
    assert first["source"] == first["article_id"]  # the deprecated alias, kept for one release
    text = load_file(seed_copy / SEED_ARTICLE, SEED_ARTICLE, 10**7)[0].text
    assert text[first["start"]:first["end"]] == first["quote"]
    assert "Sean Parnell confirmed" in first["quote"]

    again = run_cli("index", "--json", env=env)
    assert json.loads(again.stdout)["chunks"] == 0 and json.loads(again.stdout)["unchanged"] == 1

    status = run_cli("status", "--json", env=env)
    assert status.returncode == 0 and json.loads(status.stdout)["consistent"] is True


@pytest.mark.e2e
def test_errors_are_clear_and_exit_nonzero(tmp_path):
    missing = run_cli("--articles", str(tmp_path / "nope"), "--index", str(tmp_path / "i"), "index")
    assert missing.returncode == 2
    assert "nope" in missing.stderr and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad = run_cli("--index", str(tmp_path / "i"), "ask", "x", env={"ASSISTANT_K": "0"})
    assert bad.returncode == 2 and "k" in bad.stderr and "Traceback" not in bad.stderr
    # an LLM asked for but not configured stops the command (a server answers without it, with a note)
    for command in (["ask", "x"], ["chat"], ["timeline", "x"]):
        unset = run_cli("--index", str(tmp_path / "i"), "--llm", "llamacpp", *command)
        assert unset.returncode == 2, command
        assert unset.stderr.strip() == ("error: the llamacpp backend needs a GGUF file: set ASSISTANT_LLM_MODEL_PATH "
                                        "or --llm-model-path")


def test_global_options_go_before_or_after_the_sub_command():
    args = build_parser().parse_args(["--articles", "a", "--index", "b", "ask", "q", "--k", "3", "--source", "x"])
    assert (args.articles, args.index, args.question, args.k, args.source) == ("a", "b", "q", 3, ["x"])
    args = build_parser().parse_args(["--index", "b", "ask", "--articles", "a", "q", "--llm", "none"])
    assert (args.articles, args.index, args.question, args.llm) == ("a", "b", "q", "none")
    assert build_parser().parse_args(["status"]).articles is None


def test_report_lists_skipped_files():
    report = UpdateReport(added=2, problems=[Problem("bad.json", "bad.json is not valid JSON (line 3)")])
    text = format_report(report)
    assert "2 added" in text and "Skipped 1 file:" in text and "bad.json is not valid JSON" in text


@pytest.mark.e2e
def test_unreachable_llm_falls_back_to_the_extractive_answer_with_a_note(seed_copy, tmp_path):
    from ..conftest import free_port

    base = ["--articles", str(seed_copy), "--index", str(tmp_path / "index")]
    assert run_cli(*base, "index").returncode == 0
    asked = run_cli(*base, "--llm", "openai", "--llm-base-url", f"http://127.0.0.1:{free_port()}/v1",
                    "ask", "Who confirmed the Palmyra attack?", "--json", env={"ASSISTANT_LLM_TIMEOUT": "10"})
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert "Sean Parnell" in answer["answer"] and answer["citations"]
    assert "could not be reached" in answer["note"] and "extractive" in answer["note"]


@pytest.mark.e2e
def test_no_third_party_progress_bars_on_ordinary_commands(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "note.md").write_text("# Harbour\n\nThe harbour reopened on Monday.")
    done = run_cli("--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index"),
                   "--embedding-backend", "torch", "index", "--json")  # loads the PyTorch model
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 1
    assert "Loading weights" not in done.stderr and "it/s" not in done.stderr, done.stderr


def test_a_count_of_one_reads_in_the_singular():
    report = UpdateReport(added=1, chunks=1, total_articles=1, total_chunks=6,
                          problems=[Problem("bad.json", "bad.json is not valid JSON")])
    text = format_report(report)
    assert "1 passage embedded" in text and "Index: 1 article, 6 passages." in text and "Skipped 1 file:" in text
    assert "(s)" not in text


@pytest.mark.parametrize("k", ["0", "51", "many"])
def test_a_number_of_passages_out_of_range_is_refused_by_name(k):
    done = run_cli("ask", "--k", k, "Who?")
    assert done.returncode == 2 and "argument --k" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.e2e
def test_a_closed_pipe_ends_the_command_quietly(seed_copy, tmp_path):
    import fcntl
    import subprocess

    from ..conftest import ASSISTANT_BIN, ROOT

    where = ["--articles", str(seed_copy), "--index", str(tmp_path / "index")]
    assert run_cli(*where, "index").returncode == 0
    asking = subprocess.Popen([str(ASSISTANT_BIN), *where, "eval", str(ROOT / "tests" / "seed_questions.jsonl"),
                               "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    fcntl.fcntl(asking.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ: a small pipe, so the output outgrows it
    assert asking.stdout.read(1)  # like `| head -c 1`: the reader goes away after one byte
    asking.stdout.close()
    _, err = asking.communicate(timeout=300)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err and asking.returncode == 0
    asking = subprocess.Popen([str(ASSISTANT_BIN), *where, "ask", "Who confirmed the Palmyra attack?"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    asking.stdout.close()  # like `| head -3` gone before the answer is printed
    _, err = asking.communicate(timeout=300)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err and asking.returncode == 0


def test_status_of_a_folder_never_indexed_says_what_waits(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("# Fire\n\nCrews contained the fire on Monday.\n")
    done = run_cli("--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index"), "status")
    assert done.returncode == 1 and "consistent: no" in done.stdout and "passages: 0" in done.stdout
    assert "No articles indexed yet: 1 file waiting" in done.stdout and "chunks" not in done.stdout
    data = json.loads(run_cli("--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index"),
                              "status", "--json").stdout)
    assert data["consistent"] is False and data["waiting"].startswith("1 file waiting")


def screen_after(written: str) -> str:
    """The one line a terminal shows after ``written``: each carriage return goes back to its first column."""
    line: list[str] = []
    for piece in written.split("\n")[0].split("\r"):
        line[:len(piece)] = piece
    return "".join(line)


def test_the_update_bar_moves_while_embedding_and_a_shorter_line_leaves_no_letters(tmp_path):
    import io

    from assistant import Assistant
    from assistant.faces.cli.main import progress_bar

    for name in ("harbour", "ferry", "rain"):
        (tmp_path / "articles").mkdir(exist_ok=True)
        (tmp_path / "articles" / f"{name}.txt").write_text(f"The {name} story\n\nThe {name} news was told on Monday. "
                                                         "It was a long day for everyone involved in it.\n")
    shown, steps = io.StringIO(), []
    bar = progress_bar(True, shown)
    bot = Assistant(articles_dir=tmp_path / "articles", index_dir=tmp_path / "index")
    bot.update_index(progress=lambda done, total, message: (steps.append((done, total, message)),
                                                             bar(done, total, message)))
    shares = [done / total for done, total, _ in steps]
    assert any(0 < share < 1 for share in shares), steps  # not stuck at the start until it is done
    assert [m for _, _, m in steps if m.startswith("Embedding")] == [
        "Embedding 3 passages", "Embedding the 9 sentences of those passages"]
    assert screen_after(shown.getvalue()).rstrip().endswith("100% Done")  # nothing left of a longer line
    assert shown.getvalue().endswith("\n")


def test_folders_made_for_an_index_are_not_kept_by_git():
    import subprocess

    from ..conftest import ROOT

    ignored = subprocess.run(["git", "check-ignore", "my-news-index/chroma.sqlite3", "index/x", ".venv/x"],
                             cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == ["my-news-index/chroma.sqlite3", "index/x", ".venv/x"]


@pytest.mark.e2e
def test_an_unknown_source_is_named_and_status_reads_as_people_write_times(tmp_path):
    import re
    import shutil

    from ..conftest import STORY

    shutil.copytree(STORY, tmp_path / "articles")
    where = ["--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")]
    assert run_cli(*where, "index").returncode == 0
    asked = run_cli(*where, "ask", "--source", "Reuters", "How many people died?")
    assert "no indexed article is from “Reuters”" in asked.stdout + asked.stderr and "Northern Wire" in asked.stdout
    status = run_cli(*where, "status").stdout
    assert "passages:" in status and "chunks" not in status
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", status)  # no raw ISO timestamp
    assert re.search(r"last update: \d{4}-\d\d-\d\d \d\d:\d\d", status), status
