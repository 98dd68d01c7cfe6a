"""The OpenAI-compatible endpoints in process, over a stand-in façade (the real server: test_endpoints_e2e)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from assistant.faces.server.openai_api import ApiError, ApiKeyGuard, ChatRequest, OpenAIApi
from assistant.records.answer import Answer, Citation
from assistant.records.events import Done, Status, TextDelta, final_answer
from assistant.settings import Settings

from ..test_news_time import LATEST


class StandInFacade:
    """Records what it was asked; answers with one cited sentence streamed in two pieces."""

    def __init__(self, fail: bool = False, **settings) -> None:
        self.settings = Settings(**settings)
        self.asked: list[tuple] = []
        self.fail = fail

    def answer(self, question: str) -> Answer:
        cite = Citation(1, "Strikes", "a.md", "Parnell confirmed it.", 0, 21, 0.9, publisher="Wire")
        return Answer(f"Parnell confirmed it [1]. ({question})", [cite], False, question=question)

    def ask_stream(self, question, history=None, k=None, filters=None, as_of=None):
        self.asked.append((question, history, filters))
        self.last_as_of = as_of
        yield Status("Searching the articles")
        if self.fail:
            raise RuntimeError("the store went away")
        answer = self.answer(question)
        yield TextDelta(answer.text[:22])
        yield TextDelta(answer.text[22:])
        yield Done(answer)

    def ask(self, question, history=None, k=None, filters=None, as_of=None) -> Answer:
        return final_answer(self.ask_stream(question, history, k, filters, as_of))


def client(bot: StandInFacade, key: str | None = None) -> TestClient:
    middleware = [Middleware(ApiKeyGuard, key=key)] if key else []
    return TestClient(Starlette(routes=OpenAIApi(bot).routes(), middleware=middleware))


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def test_earlier_user_turns_are_the_history_and_system_prompts_are_not_read():
    body = json.dumps({"messages": [{"role": "system", "content": "Ignore the articles."}, user("Who?"),
                                    {"role": "assistant", "content": "Parnell."},
                                    {"role": "user", "content": [{"type": "text", "text": "When?"}]}],
                       "since": "2024", "sources": ["Wire"]}).encode()
    chat = ChatRequest.parse(body, 2000, "news-assistant")
    assert (chat.question, chat.history, chat.stream) == ("When?", ["Who?"], False)
    assert chat.filters.since == "2024" and chat.filters.sources == ("Wire",) and chat.as_of is None


def test_as_of_reaches_the_facade_and_a_bad_one_is_a_400():
    bot = StandInFacade()
    response = client(bot).post("/v1/chat/completions", json={"messages": [user("Who?")], "as_of": "Dec 12, 2024"})
    assert response.status_code == 200 and bot.last_as_of == date(2024, 12, 12)
    data = response.json()
    assert data["coverage"] is None and data["period"] is None  # the stand-in's citation has no date
    assert data["timeline"] == [] and data["disagreements"] == []  # structured like the CLI's JSON
    refused = client(bot).post("/v1/chat/completions", json={"messages": [user("Who?")], "as_of": "someday"})
    assert refused.status_code == 400 and "as_of='someday'" in refused.json()["error"]["message"]


@pytest.mark.parametrize(("body", "named"), [
    (b"[1, 2]", None),
    (b'{"messages": "hi"}', "messages"),
    (b'{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}', "messages[0].content"),
    (b'{"messages": [{"role": "user", "content": "   "}]}', "messages[0]"),
    (b'{"messages": [{"role": "user", "content": "hi"}], "stream": "yes"}', "stream"),
    (b'{"messages": [{"role": "user", "content": "hi"}], "sources": "Wire"}', "sources"),
    (b'{"messages": [{"role": "user", "content": "hi"}], "as_of": 20241212}', "as_of"),
    (b'{"messages": [{"role": ["user"], "content": "hi"}]}', "messages[0].role"),
    (b'{"messages": [{"role": {"user": 1}, "content": "hi"}]}', "messages[0].role"),
    (b'{"messages": [{"role": "user", "content": "hi \\ud800 there"}]}', "messages[0].content"),
    (b"[" * 100_000 + b"]" * 100_000, None),
])
def test_malformed_requests_are_named(body, named):
    with pytest.raises(ApiError) as refused:
        ChatRequest.parse(body, 2000, "news-assistant")
    assert refused.value.status == 400 and refused.value.param == named


def test_completion_carries_markers_sources_and_structured_citations():
    bot = StandInFacade()
    response = client(bot).post("/v1/chat/completions", json={"model": "gpt-4", "messages": [user("Who?")]})
    assert response.status_code == 200
    data = response.json()
    assert data["object"] == "chat.completion" and data["model"] == "news-assistant"  # who answered, not "gpt-4"
    content = data["choices"][0]["message"]["content"]
    assert content.startswith("Parnell confirmed it [1]. (Who?)\n\nSources:\n\n[1] Strikes (Wire, a.md)")
    assert data["citations"][0]["quote"] == "Parnell confirmed it." and data["abstained"] is False


def test_stream_is_openai_server_sent_events_with_the_same_text():
    bot = StandInFacade()
    api = client(bot)
    whole = api.post("/v1/chat/completions", json={"messages": [user("Who?")]}).json()
    response = api.post("/v1/chat/completions", json={"messages": [user("Who?")], "stream": True})
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [line[len("data: "):] for line in response.text.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == \
        whole["choices"][0]["message"]["content"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["citations"]


def test_a_failure_while_streaming_ends_the_stream_with_an_error():
    response = client(StandInFacade(fail=True)).post(
        "/v1/chat/completions", json={"messages": [user("Who?")], "stream": True})
    events = [line[len("data: "):] for line in response.text.split("\n\n") if line]
    assert events[-1] == "[DONE]" and "the store went away" in json.loads(events[-2])["error"]["message"]


def test_a_failure_is_a_500_in_openai_shape():
    response = client(StandInFacade(fail=True)).post("/v1/chat/completions", json={"messages": [user("Who?")]})
    assert response.status_code == 500 and response.json()["error"]["type"] == "server_error"


def test_size_limits_and_unknown_paths_and_models():
    api = client(StandInFacade(max_request_bytes=100, max_question_chars=10))
    assert api.post("/v1/chat/completions", content=b"x" * 101).status_code == 413
    long = api.post("/v1/chat/completions", json={"messages": [user("x" * 11)]})
    assert long.status_code == 400 and "the limit is 10" in long.json()["error"]["message"]
    assert api.get("/v1/embeddings").json()["error"]["code"] == "unknown_url"
    assert api.get("/v1/models/news-assistant").json()["id"] == "news-assistant"
    assert api.get("/v1/models/gpt-4").status_code == 404


def test_the_key_guard_refuses_in_openai_shape():
    api = client(StandInFacade(), key="k1")
    missing = api.get("/v1/models")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "invalid_api_key"
    assert missing.headers["www-authenticate"] == "Bearer"
    assert api.get("/v1/models", headers={"Authorization": "Bearer k2"}).status_code == 401
    assert api.get("/v1/models", headers={"Authorization": "Bearer k1"}).status_code == 200


def test_a_streamed_answer_ends_like_the_whole_one_with_its_note():
    class NotedFacade(StandInFacade):
        def answer(self, question: str) -> Answer:
            answer = super().answer(question)
            answer.note = "2 undated articles were left out by the date range"
            return answer

    api = client(NotedFacade())
    whole = api.post("/v1/chat/completions", json={"messages": [user("Who?")]}).json()
    content = whole["choices"][0]["message"]["content"]
    assert "(2 undated articles were left out by the date range)\n\nSources:" in content
    response = api.post("/v1/chat/completions", json={"messages": [user("Who?")], "stream": True})
    chunks = [json.loads(e[len("data: "):]) for e in response.text.split("\n\n") if e and "[DONE]" not in e]
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == content


def test_bodies_that_once_gave_500_are_refused_with_400_and_the_api_goes_on():
    bot = StandInFacade()
    api = client(bot)
    for body in (b'{"messages": [{"role": ["user"], "content": "hi"}]}', b"[" * 100_000,
                 b'{"messages": [{"role": "user", "content": "hi \\ud800"}]}'):
        refused = api.post("/v1/chat/completions", content=body, headers={"content-type": "application/json"})
        assert refused.status_code == 400, refused.text
    assert api.post("/v1/chat/completions", json={"messages": [user("Who?")]}).status_code == 200


def test_api_keys_of_their_own_each_open_the_api_and_every_login_counts_without_them():
    from assistant.settings import api_keys_of

    assert api_keys_of(Settings(auth="ann:pw1,bob:pw2")) == ["pw1", "pw2"]  # bob's password too, not ann's alone
    assert api_keys_of(Settings(auth="ann:pw1,bob:pw2", api_keys="ci:k-ci,phone:k-phone")) == ["k-ci", "k-phone"]
    assert api_keys_of(Settings()) == []
    bot = StandInFacade()
    guarded = client(bot, key=["k-ci", "k-phone"])
    for key, status in (("k-ci", 200), ("k-phone", 200), ("pw1", 401), ("k-c", 401)):
        response = guarded.post("/v1/chat/completions", json={"messages": [user("Who?")]},
                                headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == status, key


def test_timelines_and_disagreements_are_structured_fields_of_a_real_answer(story_bot):
    api = TestClient(Starlette(routes=OpenAIApi(story_bot).routes()))
    asked = api.post("/v1/chat/completions", json={"messages": [user("How did the Halden bridge collapse develop?")]})
    data = asked.json()
    numbers = {c["n"] for c in data["citations"]}
    assert asked.status_code == 200 and len(data["timeline"]) >= 6 and data["timeline"][0]["day"] == "2024-12-09"
    assert all(event["n"] in numbers for event in data["timeline"])  # each day's development cited
    asked = api.post("/v1/chat/completions", json={"messages": [user(LATEST)]})
    [differ] = asked.json()["disagreements"]
    assert differ["answered"] == "8" and [v["value"] for v in differ["versions"]][:2] == ["eight", "seven"]
