"""The real web server: its API under concurrent load, and a failed request that leaves it serving."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError

QUESTIONS = [
    "Who confirmed the Palmyra attack?",
    "What did Donald Trump vow against IS?",
    "Which regional powers is the U.S. willing to engage with?",
    "Who is Ahmed Al-Faris?",
]


@pytest.fixture(scope="module")
def client(seed_server):
    return Client(seed_server.url, verbose=False, analytics_enabled=False)


def test_twenty_concurrent_requests_all_get_cited_answers(seed_server, client):
    def ask(i: int) -> dict:
        return client.predict(QUESTIONS[i % len(QUESTIONS)], 5, api_name="/ask")

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(ask, range(20)))
    assert len(answers) == 20
    for answer in answers:
        assert not answer["abstained"], answer
        assert answer["citations"] and answer["citations"][0]["quote"], answer
        assert "[1]" in answer["answer"]
    assert all("Sean Parnell" in answers[i]["answer"] for i in range(0, 20, len(QUESTIONS)))


def test_bad_request_does_not_take_the_server_down(seed_server, client):
    with pytest.raises(AppError):  # the server's error, as gradio_client reports it
        client.predict("   ", 5, api_name="/ask")
    assert seed_server.process.poll() is None
    assert "Sean Parnell" in client.predict(QUESTIONS[0], 5, api_name="/ask")["answer"]


def test_login_is_required_when_auth_is_set(seed_server, tmp_path):
    from ..conftest import Server

    server = Server(seed_server.articles, tmp_path / "own-index", tmp_path / "auth.log", "--auth", "ann:secret")
    try:
        with pytest.raises(AuthenticationError, match=r"login|credentials"):
            Client(server.url, verbose=False, analytics_enabled=False).predict("x", 5, api_name="/ask")
        client = Client(server.url, verbose=False, analytics_enabled=False, auth=("ann", "secret"))
        answer = client.predict("Who confirmed the Palmyra attack?", 5, api_name="/ask")
        assert "Sean Parnell" in answer["answer"]  # its index was never built, so serve built it at start
        assert "First run: indexing 1 file waiting" in server.log
        assert f"Serving {server.url}" in server.log and "MCP at" in server.log
    finally:
        server.stop()
    # its own words only: no offer of a public link it never makes, no "Keyboard interruption…" at a stop
    assert "share=True" not in server.log and "Keyboard interruption" not in server.log
    assert "Stopped." in server.log
