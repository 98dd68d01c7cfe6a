"""The core index-and-ask flow against a real Chroma server (`chroma run` on 127.0.0.1)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import free_port, make_bot, run_cli

CHROMA_BIN = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen([str(CHROMA_BIN), "run", "--path", str(data / "db"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data / "server.log").read_text()) from None
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(20)
    log.close()


def test_index_and_ask_through_a_chroma_server(embedder, chroma_url, seed_copy, tmp_path):
    bot = make_bot(embedder, seed_copy, tmp_path / "index-a", chroma_url=chroma_url, collection="core-flow")
    report = bot.update_index()
    assert report.added == 1 and report.chunks > 0
    assert not (tmp_path / "index-a" / "chroma").exists()  # nothing embedded locally
    answer = bot.ask("Who confirmed the Palmyra attack?")
    assert "Sean Parnell" in answer.text and answer.citations[0].article_id == "coalition-strikes-syria.txt"

    (seed_copy / "harbour.md").write_text("# Harbour\n\nMayor Lina Borg reopened the Valletta harbour on Monday.")
    assert bot.update_index().added == 1
    assert "Lina Borg" in bot.ask("Who reopened the Valletta harbour?").text

    # another client, with its own (empty) index folder, uses the server's data without re-embedding
    other = make_bot(embedder, seed_copy, tmp_path / "index-b", chroma_url=chroma_url, collection="core-flow")
    assert "Lina Borg" in other.ask("Who reopened the Valletta harbour?").text
    report = other.update_index()
    assert (report.added, report.chunks, report.rebuilt, report.unchanged) == (0, 0, False, 2)
    assert other.status().consistent

    (seed_copy / "harbour.md").unlink()
    assert other.update_index().removed == 1
    assert bot.store.collection.get(where={"article_id": "harbour.md"})["ids"] == []
    assert bot.update_index().chunks == 0  # the first client catches up from the server, embeds nothing


def test_cli_with_chroma_url(chroma_url, seed_copy, tmp_path):
    env = {"ASSISTANT_COLLECTION": "cli-flow"}
    base = ["--articles", str(seed_copy), "--index", str(tmp_path / "index"), "--chroma-url", chroma_url]
    indexed = run_cli(*base, "index", "--json", env=env)
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["added"] == 1
    asked = run_cli(*base, "ask", "Who confirmed the Palmyra attack?", "--json", env=env)
    assert "Sean Parnell" in json.loads(asked.stdout)["answer"]
    shutil.rmtree(tmp_path / "index")


@pytest.mark.e2e
def test_unreachable_server_is_a_clear_error(seed_copy, tmp_path):
    result = run_cli("--articles", str(seed_copy), "--index", str(tmp_path / "i"),
                     "--chroma-url", f"http://127.0.0.1:{free_port()}", "status")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "127.0.0.1" in result.stderr
