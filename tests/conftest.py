"""Shared fixtures: the real bundled model (loaded once), temp copies of the seeds, a real server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# The tests' feed and page servers listen on 127.0.0.1, which a fetch refuses unless the user allows it.
os.environ.setdefault("ASSISTANT_FETCH_ALLOW_HOSTS", "127.0.0.1")
ROOT = Path(__file__).resolve().parents[1]
# One ONNX export for the whole run, shared by in-process tests and the CLI and servers they start.
os.environ.setdefault("ASSISTANT_MODELS_DIR", str(ROOT / "test-output" / "models"))

from assistant import Assistant, Settings  # noqa: E402 - after the environment is set
from assistant.embedders import Embedder, SentenceEmbedder, make_embedder  # noqa: E402

SEEDS = ROOT / "seeds"
STORY = ROOT / "tests" / "fixtures" / "story"  # one evolving story over 9-14 Dec 2024, beside unrelated articles
FORTNIGHT = ROOT / "tests" / "fixtures" / "fortnight"  # two weeks of invented news, 2-15 Nov 2026: 6 stories
SEED_ARTICLE = "coalition-strikes-syria.txt"
ASSISTANT_BIN = Path(sys.executable).with_name("assistant")


# A test that needs one of these loads the real model or starts a real server or browser: it is end to end.
# Tests that run the `assistant` command itself are marked by hand.
REAL_PARTS = {"embedder", "torch_embedder", "onnx_embedder", "seed_bot", "seed_server", "served", "server", "page",
              "chroma_url"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark e2e by what a test uses, so `pytest -m "not e2e"` is the fast inner loop."""
    for item in items:
        if REAL_PARTS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real bundled MiniLM with the default backend, loaded once for the whole run."""
    return make_embedder(Settings())


@pytest.fixture(scope="session")
def torch_embedder() -> SentenceEmbedder:
    """The PyTorch model: the reference the ONNX export is measured against."""
    return SentenceEmbedder()


def make_bot(embedder: Embedder, articles: Path, index: Path, **settings) -> Assistant:
    return Assistant(articles_dir=articles, index_dir=index, embedder=embedder, **settings)  # one loaded model


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="session")
def seed_bot(embedder, tmp_path_factory) -> Assistant:
    """An assistant over an indexed copy of the seeds, shared by read-only tests."""
    base = tmp_path_factory.mktemp("seedbot")
    shutil.copytree(SEEDS, base / "articles")
    bot = make_bot(embedder, base / "articles", base / "index")
    bot.update_index()
    return bot


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300
            ) -> subprocess.CompletedProcess:
    return subprocess.run([str(ASSISTANT_BIN), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env={**os.environ, **(env or {})})


class Server:
    """`assistant serve` in a child process on a free port of 127.0.0.1."""

    def __init__(self, articles: Path, index: Path, log: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.articles = articles
        self.index = index
        self.extra = extra
        self._start()

    def _start(self) -> None:
        self._log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(ASSISTANT_BIN), "--articles", str(self.articles), "--index", str(self.index), "serve",
             "--port", str(self.port), *self.extra],
            stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.wait_ready()

    def restart(self) -> None:
        """Stop the server and start it again on the same port (a browser keeps its storage per port)."""
        self.stop()
        self._start()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    # ready once it has also recorded itself as the owner of the index
                    if response.status == 200 and (self.index / "server.json").exists():
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()

    @property
    def log(self) -> str:
        return self.log_path.read_text()


def serve_seeds(base: Path, *extra: str) -> Server:
    """`assistant serve` (with ``extra`` options) over a copy of the seeds in ``base``, indexed first."""
    shutil.copytree(SEEDS, base / "articles")
    result = run_cli("--articles", str(base / "articles"), "--index", str(base / "index"), "index")
    assert result.returncode == 0, result.stderr
    return Server(base / "articles", base / "index", base / "server.log", *extra)


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory):
    """A real web server over an indexed temp copy of the seeds."""
    server = serve_seeds(tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


def pytest_sessionfinish(session, exitstatus) -> None:
    """Release LLMs before interpreter shutdown (see assistant.answering.llm.backends.release_models)."""
    import gc
    import sys

    if "assistant.answering.llm.backends" in sys.modules:
        sys.modules["assistant.answering.llm.backends"].release_models()
    gc.collect()


@pytest.fixture(scope="session")
def fortnight_bot(embedder, tmp_path_factory) -> Assistant:
    """An assistant over an indexed copy of the fortnight corpus, shared by read-only tests of briefings."""
    base = tmp_path_factory.mktemp("fortnight")
    shutil.copytree(FORTNIGHT, base / "articles")
    bot = make_bot(embedder, base / "articles", base / "index")
    assert bot.update_index().added == len(list(FORTNIGHT.glob("*.md")))
    return bot


@pytest.fixture(scope="session")
def story_bot(embedder, tmp_path_factory) -> Assistant:
    """An assistant over an indexed copy of the story corpus, shared by read-only tests of news features."""
    base = tmp_path_factory.mktemp("story")
    shutil.copytree(STORY, base / "articles")
    bot = make_bot(embedder, base / "articles", base / "index")
    assert bot.update_index().added == len(list(STORY.iterdir()))  # near-duplicates are indexed, each
    return bot
