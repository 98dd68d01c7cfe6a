"""One error family: everything the assistant raises on purpose is an AssistantError, and the command line
shows it as one line with a non-zero exit, never a traceback."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from assistant import errors
from assistant.errors import AssistantError
from assistant.store.locking import writer_lock

from .conftest import run_cli

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
# Raised for Python's own protocols, not as the assistant's errors: a missing attribute (module __getattr__,
# a descriptor read from its class), a broken install, and MCP's tool error, which the SDK turns into a reply.
PROTOCOL = {"AttributeError", "ModuleNotFoundError", "ToolError"}


def raised_names() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                found.setdefault(node.exc.func.id, set()).add(str(path.relative_to(PACKAGE)))
    return found


def test_every_error_of_the_family_is_an_assistant_error():
    kinds = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__]
    assert len(kinds) >= 10 and all(issubclass(kind, AssistantError) for kind in kinds)


def test_everything_the_package_raises_on_purpose_is_of_the_family():
    from assistant.faces.server.openai_api import ApiError

    family = {name for name, c in inspect.getmembers(errors, inspect.isclass)} | {"ApiError"}
    assert issubclass(ApiError, AssistantError)
    strays = {name: places for name, places in raised_names().items() if name not in family | PROTOCOL}
    assert strays == {}


def one_line_error(done) -> str:
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_ask_with_a_bad_setting_says_so_in_one_line(tmp_path):
    done = run_cli("--articles", str(tmp_path), "--index", str(tmp_path / "index"), "ask", "Who?",
                   env={"ASSISTANT_K": "0"})
    assert one_line_error(done).startswith("error: invalid setting: k:")


def test_ask_of_a_folder_that_does_not_exist_says_so_in_one_line(tmp_path):
    done = run_cli("--articles", str(tmp_path / "nowhere"), "--index", str(tmp_path / "index"), "ask", "Who?")
    line = one_line_error(done)
    assert line.startswith("error: articles folder") and "nowhere" in line and "--articles" in line


def test_an_update_of_a_busy_index_says_so_in_one_line(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("# Fire\n\nCrews contained the fire on Monday.\n")
    index = tmp_path / "index"
    with writer_lock(index, timeout=0):
        done = run_cli("--articles", str(tmp_path / "articles"), "--index", str(index), "index",
                       env={"ASSISTANT_LOCK_TIMEOUT": "0"})
    assert "busy" in one_line_error(done) or "updating" in one_line_error(done)


def test_the_chroma_token_goes_to_the_server_as_headers_and_never_shows(monkeypatch, tmp_path):
    import chromadb

    from assistant.settings import Settings
    from assistant.store.chroma import ChromaStore

    seen: dict = {}
    monkeypatch.setattr(chromadb, "HttpClient", lambda **kwargs: seen.update(kwargs) or object())
    settings = Settings(index_dir=tmp_path, chroma_url="http://127.0.0.1:8000", chroma_token="s3cret")
    ChromaStore(settings).client  # noqa: B018 - made on first use
    assert seen["headers"] == {"Authorization": "Bearer s3cret", "X-Chroma-Token": "s3cret"}
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.model_dump())


def test_a_search_longer_than_a_question_may_be_is_refused_before_it_runs(tmp_path):
    from assistant import Assistant
    from assistant.errors import BadValueError

    bot = Assistant(articles_dir=tmp_path, index_dir=tmp_path / "index", max_question_chars=100)
    with pytest.raises(BadValueError, match="the limit is 100"):
        bot.retrieve("word " * 4_000_000)  # 20 MB: refused at once, the store never opened
    assert "store" not in bot.__dict__
