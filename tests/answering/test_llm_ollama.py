"""The ollama backend against a real Ollama server, run only when one is reachable (it is never started here).

Set ``OLLAMA_HOST`` (default http://127.0.0.1:11434) and optionally ``ASSISTANT_TEST_OLLAMA_MODEL``;
otherwise the first model the server lists is used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("langchain_ollama")

from assistant import Assistant
from assistant.answering.llm.answerer import LLMAnswerer, make_answerer
from assistant.answering.reading import read_query
from assistant.records.events import Done, Status, TextDelta

pytestmark = [pytest.mark.llm, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Who confirmed the Palmyra attack?"


def ollama_server() -> tuple[str, str]:
    host = os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434")
    host = host if host.startswith("http") else f"http://{host}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{host}/api/tags", timeout=2) as response:
            models = [m["name"] for m in json.load(response).get("models", [])]
    except (OSError, ValueError):
        pytest.skip(f"no Ollama server at {host}")
    model = os.environ.get("ASSISTANT_TEST_OLLAMA_MODEL") or (models[0] if models else None)
    if not model:
        pytest.skip(f"the Ollama server at {host} has no model pulled")
    return host, model


def test_ollama_answer_streams_and_keeps_the_contract(tmp_path) -> None:
    host, model = ollama_server()
    (tmp_path / "articles").mkdir()
    shutil.copy(ROOT / "seeds" / "coalition-strikes-syria.txt", tmp_path / "articles")
    bot = Assistant(articles_dir=tmp_path / "articles", index_dir=tmp_path / "index", k=3,
                    llm_backend="ollama", llm_base_url=host, llm_model=model, llm_max_tokens=96)
    bot.update_index()
    answerer = make_answerer(bot.settings, bot.embedder, bot.answerer)
    assert isinstance(answerer, LLMAnswerer)
    events = list(answerer.stream(read_query(QUESTION), bot.retrieve(QUESTION)))
    assert isinstance(events[-1], Done) and all(isinstance(e, TextDelta | Status) for e in events[:-1])
    answer = events[-1].answer
    assert "failed" not in answer.note and "could not be reached" not in answer.note
    article = (tmp_path / "articles" / "coalition-strikes-syria.txt").read_text(encoding="utf-8")
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)} == {c.n for c in answer.citations}
    assert all(article[c.start:c.end] == c.quote for c in answer.citations)
