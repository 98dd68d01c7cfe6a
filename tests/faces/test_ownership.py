"""The running server owns the index: other processes ask it to update; --watch; stale records."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time

import pytest
from gradio_client import Client

from assistant.store.owner import ServerRecord

from ..conftest import ASSISTANT_BIN, SEEDS, Server, make_bot, run_cli
from ..test_reliability import assert_exact

NEW = ("---\ntitle: Orchard fire\ndate: 2025-05-04\n---\n"
       "A fire destroyed the Pellow orchard near Tamsin on Thursday. Fire chief Ruth Adeyemi said a spark "
       "from a tractor started it.\n")
QUESTION = "Who is the fire chief who spoke about the Pellow orchard fire?"


@pytest.fixture
def served(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "articles")
    indexed = run_cli("--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index"), "index")
    assert indexed.returncode == 0, indexed.stderr
    servers: list[Server] = []

    def start(*extra: str) -> Server:
        server = Server(tmp_path / "articles", tmp_path / "index", tmp_path / f"server{len(servers)}.log", *extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def ask(server: Server, question: str) -> dict:
    return Client(server.url, verbose=False, analytics_enabled=False).predict(question, 5, api_name="/ask")


def cites(answer: dict, article_id: str) -> bool:
    return any(c["article_id"] == article_id for c in answer["citations"])


def test_index_command_delegates_to_the_running_server(served):
    server = served()
    record = ServerRecord.read(server.index)
    assert record is not None and record.pid == server.process.pid and record.url == server.url
    (server.articles / "orchard.md").write_text(NEW)
    result = run_cli("--articles", str(server.articles), "--index", str(server.index), "index", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["unchanged"]) == (1, 1)
    assert "updated by the running server" in result.stderr
    answer = ask(server, QUESTION)
    assert "Ruth Adeyemi" in answer["answer"] and cites(answer, "orchard.md")
    assert "update requested through the API" in server.log
    server.stop()
    assert ServerRecord.read(server.index) is None  # a clean stop removes the record


def test_a_second_server_on_an_owned_index_is_refused_with_the_owner_named(served):
    server = served()
    second = run_cli("--articles", str(server.articles), "--index", str(server.index), "serve", "--port", "0",
                     timeout=120)
    assert second.returncode != 0 and "Traceback" not in second.stderr
    assert f"served by process {server.process.pid} at {server.url}" in second.stderr
    record = ServerRecord.read(server.index)
    assert record is not None and record.pid == server.process.pid  # the owner's record is untouched


def test_python_api_delegates_too(served, embedder):
    server = served()
    (server.articles / "orchard.md").write_text(NEW)
    bot = make_bot(embedder, server.articles, server.index)
    report = bot.update_index()
    assert report.added == 1 and "running server" in report.note
    assert "store" not in bot.__dict__  # this process never opened the store
    assert cites(ask(server, QUESTION), "orchard.md")


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_watched_folder_is_indexed_within_seconds(served):
    server = served("--watch")
    # written in two parts with a pause: the half-written file must not be indexed as it is
    path = server.articles / "orchard.md"
    with path.open("w") as handle:
        handle.write(NEW[: len(NEW) // 2])
        handle.flush()
        time.sleep(0.4)
        handle.write(NEW[len(NEW) // 2:])
    assert wait_for(lambda: cites(ask(server, QUESTION), "orchard.md"), 10), server.log
    answer = ask(server, QUESTION)
    assert "Ruth Adeyemi" in answer["answer"]
    path.unlink()
    assert wait_for(lambda: not cites(ask(server, QUESTION), "orchard.md"), 10), server.log
    assert "watched folder changed" in server.log


def test_stale_record_of_a_killed_server_is_recovered(served, embedder):
    server = served()
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    assert ServerRecord.read(server.index) is not None  # left behind by the kill
    (server.articles / "orchard.md").write_text(NEW)
    result = run_cli("--articles", str(server.articles), "--index", str(server.index), "index", "--json")
    assert result.returncode == 0, result.stderr
    assert "recovered a stale server record" in result.stderr
    assert json.loads(result.stdout)["added"] == 1
    assert ServerRecord.read(server.index) is None
    assert_exact(make_bot(embedder, server.articles, server.index), embedder, server.articles)


def test_a_delegated_update_whose_server_dies_says_so_and_finishes_here(served, embedder):
    server = served()
    for n in range(150):  # enough passages that the server is still embedding when it is killed
        (server.articles / f"bulk-{n:03}.md").write_text(
            f"# Report {n}\n\n" + " ".join(f"The council of district {n} met on day {d} about the bridge repairs "
                                           f"and the harbour budget." for d in range(12)) + "\n")
    update = subprocess.Popen([str(ASSISTANT_BIN), "--articles", str(server.articles), "--index", str(server.index),
                               "index", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: "update requested through the API" in server.log, 60), server.log
    server.process.send_signal(signal.SIGKILL)
    out, err = update.communicate(timeout=300)  # it does not wait on the dead server
    assert update.returncode == 0, err
    assert "stopped during the update, so this process updated the index itself" in err
    assert json.loads(out)["added"] >= 1 and ServerRecord.read(server.index) is None
    assert_exact(make_bot(embedder, server.articles, server.index), embedder, server.articles)


def test_the_index_command_reaches_a_server_with_logins_through_the_auth_setting(served):
    server = served("--auth", "ann:pw1,bob:pw2")
    (server.articles / "orchard.md").write_text(NEW)
    where = ("--articles", str(server.articles), "--index", str(server.index))
    refused = run_cli(*where, "index", env={"ASSISTANT_AUTH": ""})
    assert refused.returncode != 0 and "set ASSISTANT_AUTH" in refused.stderr and "Traceback" not in refused.stderr
    done = run_cli(*where, "index", "--json", env={"ASSISTANT_AUTH": "ann:pw1,bob:pw2"})  # ann's login is used
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 1 and "updated by the running server" in done.stderr
