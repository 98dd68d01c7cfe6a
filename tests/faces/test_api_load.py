"""The API under load, on 127.0.0.1: streams never deadlock the server, a request that cannot get an answer
slot in time is refused with 503 and Retry-After, and a stream the client leaves gives its slot back."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from assistant.faces.server.openai_api import OpenAIApi
from assistant.records.answer import Answer, Citation
from assistant.records.events import Done, Status, TextDelta, final_answer
from assistant.settings import Settings


class SlowFacade:
    """Streams one cited sentence in ten pieces, ``pause`` seconds apart, as a slow answerer would."""

    def __init__(self, pause: float, **settings) -> None:
        self.settings = Settings(**settings)
        self.pause = pause

    def ask_stream(self, question, history=None, k=None, filters=None, as_of=None):
        yield Status("Searching the articles")
        citation = Citation(1, "Strikes", "a.md", "Parnell confirmed it.", 0, 21, 0.9)
        answer = Answer("Parnell confirmed it [1].", [citation], False, question=question)
        for piece in ["Parnell ", "confirmed ", "it ", "[1]."] + [""] * 6:
            time.sleep(self.pause)
            yield TextDelta(piece)
        yield Done(answer)

    def ask(self, question, history=None, k=None, filters=None, as_of=None) -> Answer:
        return final_answer(self.ask_stream(question, history, k, filters, as_of))


class Served:
    """The API app served by uvicorn on a free port of 127.0.0.1, in a thread (40 worker threads, as Starlette
    gives by default)."""

    def __init__(self, bot: SlowFacade) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        app = Starlette(routes=OpenAIApi(bot).routes())
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.server.started

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/chat/completions"

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def body(stream: bool) -> dict:
    return {"messages": [{"role": "user", "content": "Who confirmed it?"}], "stream": stream}


async def streamed(client: httpx.AsyncClient, url: str) -> tuple[int, str, str | None]:
    async with client.stream("POST", url, json=body(True)) as response:
        text = "".join([piece async for piece in response.aiter_text()])
        return response.status_code, text, response.headers.get("retry-after")


@pytest.fixture
def served():
    servers: list[Served] = []

    def start(bot: SlowFacade) -> Served:
        servers.append(Served(bot))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def test_a_hundred_streams_are_each_answered_or_refused_and_the_server_answers_after(served):
    server = served(SlowFacade(pause=0.01, concurrency_limit=4, queue_timeout=1.0))

    async def storm() -> list[tuple[int, str, str | None]]:
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            return await asyncio.gather(*(streamed(client, server.url) for _ in range(100)))

    results = asyncio.run(storm())
    answered = [r for r in results if r[0] == 200]
    refused = [r for r in results if r[0] == 503]
    assert len(answered) + len(refused) == 100
    assert answered and all(r[1].rstrip().endswith("data: [DONE]") and "Parnell" in r[1] for r in answered)
    assert all(r[2] and "answer slots are busy" in r[1] for r in refused)
    after = httpx.post(server.url, json=body(False), timeout=10)
    assert after.status_code == 200 and "Parnell" in after.json()["choices"][0]["message"]["content"]


def test_a_stream_the_client_leaves_gives_its_slot_back(served):
    server = served(SlowFacade(pause=0.2, concurrency_limit=2, queue_timeout=5.0))
    for _ in range(8):  # each left after its first piece, long before its answer is done
        with httpx.Client(timeout=10) as client, client.stream("POST", server.url, json=body(True)) as response:
            assert response.status_code == 200
            next(response.iter_text())
    plain = httpx.post(server.url, json=body(False), timeout=15)  # a slot is free within the queue time
    assert plain.status_code == 200
