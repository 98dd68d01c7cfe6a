"""The OpenAI-compatible API and MCP, tested with the real clients against a real `assistant serve`."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import httpx2
import openai
import pytest
from langchain_openai import ChatOpenAI
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from ..conftest import ASSISTANT_BIN, ROOT, Server, serve_seeds
from ..test_readme import blocks

PALMYRA = "Who confirmed the Palmyra attack?"
KEY = "s3cret-key"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A real server over the seeds whose API asks for a key (the password of --auth)."""
    server = serve_seeds(tmp_path_factory.mktemp("endpoints"), "--auth", f"reader:{KEY}")
    yield server
    server.stop()


def client(served: Server, key: str = KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{served.url}/v1", api_key=key, max_retries=0, timeout=120)


def test_openai_sdk_answers_with_citations(served):
    assert [m.id for m in client(served).models.list()] == ["news-assistant"]
    completion = client(served).chat.completions.create(
        model="news-assistant", messages=[{"role": "user", "content": PALMYRA}])
    text = completion.choices[0].message.content
    assert "Sean Parnell" in text and "[1]" in text
    assert "Sources:" in text and "coalition-strikes-syria.txt" in text
    citations = completion.model_extra["citations"]
    assert "Sean Parnell" in citations[0]["quote"]
    assert completion.model_extra["short_answer"]["text"] == "Sean Parnell"


def test_openai_sdk_streams_the_same_answer_and_follows_up(served):
    history = [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": PALMYRA},
               {"role": "assistant", "content": "Sean Parnell confirmed it [1]."}]
    whole = client(served).chat.completions.create(
        model="news-assistant", messages=[*history, {"role": "user", "content": "When did it happen?"}])
    stream = client(served).chat.completions.create(
        model="news-assistant", stream=True, messages=[*history, {"role": "user", "content": "When did it happen?"}])
    chunks = list(stream)
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert streamed == whole.choices[0].message.content
    assert streamed.startswith("December 13th")
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"][0]["n"] == 1


def test_langchain_chat_openai_pointed_at_it(served):
    llm = ChatOpenAI(base_url=f"{served.url}/v1", api_key=KEY, model="news-assistant", max_retries=0)
    assert "Sean Parnell" in llm.invoke(PALMYRA).content
    assert "Sean Parnell" in "".join(str(piece.content) for piece in llm.stream(PALMYRA))


def post(served: Server, body: bytes, key: str | None = KEY) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {key}"} if key else {})
    request = urllib.request.Request(f"{served.url}/v1/chat/completions", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_wrong_or_missing_key_is_refused_in_openai_shape(served):
    with pytest.raises(openai.AuthenticationError) as refused:
        client(served, key="wrong").chat.completions.create(
            model="news-assistant", messages=[{"role": "user", "content": PALMYRA}])
    assert refused.value.status_code == 401
    status, body = post(served, json.dumps({"messages": [{"role": "user", "content": PALMYRA}]}).encode(), key=None)
    assert status == 401 and body["error"]["code"] == "invalid_api_key"
    with urllib.request.urlopen(served.url, timeout=30) as page:  # the page keeps its own login
        assert page.status == 200


@pytest.mark.parametrize(("body", "named"), [
    ({"model": "news-assistant"}, "messages"),
    ({"messages": [{"role": "robot", "content": "hi"}]}, "messages[0].role"),
    ({"messages": [{"role": "user", "content": "x" * 100_000}]}, "messages[0].content"),
    ({"messages": [{"role": "user", "content": PALMYRA}, {"role": "assistant", "content": "…"}]}, "messages[1]"),
])
def test_a_bad_request_gets_a_clear_4xx_and_the_server_keeps_serving(served, body, named):
    status, refusal = post(served, json.dumps(body).encode())
    assert status == 400 and refusal["error"]["param"] == named, refusal
    assert refusal["error"]["type"] == "invalid_request_error" and refusal["error"]["message"]
    status, answer = post(served, json.dumps({"messages": [{"role": "user", "content": PALMYRA}]}).encode())
    assert status == 200 and "Sean Parnell" in answer["choices"][0]["message"]["content"]


async def call_tools(connection) -> dict:
    async with Client(connection) as mcp:
        names = {tool.name for tool in (await mcp.list_tools()).tools}
        asked = await mcp.call_tool("ask", {"question": PALMYRA})
        found = await mcp.call_tool("search", {"query": "Palmyra attack", "k": 2})
        refused = await mcp.call_tool("ask", {"question": PALMYRA, "since": "someday"})
        status = await mcp.call_tool("status", {})
        late = await mcp.call_tool("ask", {"question": PALMYRA, "as_of": "someday"})
        briefed = await mcp.call_tool("briefing", {"since": "2000-01-01"})  # the seed article is undated
        bad = await mcp.call_tool("briefing", {"until": "someday"})
    return {"names": names, "ask": asked.structured_content, "search": found.structured_content,
            "refused": (refused.is_error, refused.content[0].text), "status": status.structured_content,
            "late": (late.is_error, late.content[0].text), "briefing": briefed.structured_content,
            "bad briefing": (bad.is_error, bad.content[0].text)}


def check_tools(result: dict) -> None:
    assert result["names"] == {"ask", "briefing", "search", "status"}
    assert result["ask"]["short_answer"]["text"] == "Sean Parnell"
    assert "Sean Parnell" in result["ask"]["citations"][0]["quote"]
    assert len(result["search"]["passages"]) == 2 and "Palmyra" in result["search"]["passages"][0]["text"]
    assert result["refused"][0] and "someday" in result["refused"][1]
    assert result["status"]["articles"] == 1
    assert result["late"][0] and "as_of='someday'" in result["late"][1]
    briefing = result["briefing"]  # no dated article: the period holds none, and the note says so
    assert briefing["abstained"] and briefing["answer"].startswith("No indexed article is ")
    assert briefing["briefing"] == [] and "no indexed article is dated" in briefing["note"]
    assert result["bad briefing"][0] and "someday" in result["bad briefing"][1]


def test_mcp_client_over_http_with_the_key(served):
    headers = {"Authorization": f"Bearer {KEY}"}
    check_tools(asyncio.run(call_tools(
        streamable_http_client(f"{served.url}/mcp", http_client=httpx2.AsyncClient(headers=headers, timeout=120)))))
    unkeyed = httpx2.post(f"{served.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=30)
    assert unkeyed.status_code == 401


def test_mcp_client_over_stdio_as_the_readme_configures_it(served):
    config = blocks("json")["Agents: the MCP server"]
    for placeholder, real in (("/path/to/news-assistant/.venv/bin/assistant", str(ASSISTANT_BIN)),
                              ("/path/to/news-assistant/seeds", str(served.articles)),
                              ("/path/to/news-assistant/index", str(served.index))):
        config = config.replace(placeholder, real)
    news = json.loads(config)["mcpServers"]["news"]
    parameters = StdioServerParameters(command=news["command"], args=news["args"], env=dict(os.environ), cwd=ROOT)
    check_tools(asyncio.run(call_tools(parameters)))


@pytest.mark.parametrize("heading", ["Your own chat client: the OpenAI-compatible API", "Agents: the MCP server"])
def test_readme_client_examples_run_against_a_server_without_auth(seed_server, heading):
    code = blocks()[heading].replace("http://127.0.0.1:7860", seed_server.url)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Sean Parnell" in done.stdout, done.stdout


def test_a_key_without_logins_guards_the_page_s_own_api_too(tmp_path, monkeypatch):
    """With ASSISTANT_API_KEY and no --auth, /gradio_api (the page's API: ask, add a link, update) is not open:
    the page asks for a login, "api" with the key."""
    import httpx
    from gradio_client import Client

    monkeypatch.setenv("ASSISTANT_API_KEY", KEY)
    server = serve_seeds(tmp_path)
    try:
        open_call = httpx.post(f"{server.url}/gradio_api/call/ask", json={"data": [PALMYRA, 5]}, timeout=30)
        assert open_call.status_code in (401, 403), open_call.text
        answer = Client(server.url, auth=("api", KEY), verbose=False, analytics_enabled=False).predict(
            PALMYRA, 5, api_name="/ask")
        assert "Sean Parnell" in answer["answer"]
        assert client(server).models.list().data[0].id == "news-assistant"  # the same key opens /v1
    finally:
        server.stop()


def test_a_never_indexed_folder_says_so_and_mcp_indexes_it_at_start(tmp_path):
    articles, index = tmp_path / "articles", tmp_path / "index"
    shutil.copytree(ROOT / "seeds", articles)
    asked = subprocess.run([str(ASSISTANT_BIN), "--articles", str(articles), "--index", str(index), "ask", PALMYRA],
                           capture_output=True, text=True, timeout=120)
    assert asked.returncode != 0 and "Traceback" not in asked.stderr
    assert "No articles indexed yet: 1 file waiting" in asked.stderr and "assistant index" in asked.stderr
    chatted = subprocess.run([str(ASSISTANT_BIN), "--articles", str(articles), "--index", str(index), "chat"],
                             input=PALMYRA + "\n", capture_output=True, text=True, timeout=120)
    assert chatted.returncode != 0 and "No articles indexed yet: 1 file waiting" in chatted.stderr
    parameters = StdioServerParameters(command=str(ASSISTANT_BIN),
                                       args=["--articles", str(articles), "--index", str(index), "mcp"],
                                       env=dict(os.environ), cwd=ROOT)
    check_tools(asyncio.run(call_tools(parameters)))  # indexed at start, then answered


def test_an_mcp_client_configured_without_the_index_is_told_which_folder_is_missing(tmp_path):
    """Started from another folder with none of the index's settings, it does not answer "don't say": it
    stops at once, naming the folder it looked for and how to give the right one (the client shows it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    started = subprocess.run([str(ASSISTANT_BIN), "mcp"], cwd=tmp_path, env=env, input="", capture_output=True,
                             text=True, timeout=120)
    assert started.returncode != 0 and "Traceback" not in started.stderr and started.stdout == ""
    assert "articles folder seeds does not exist" in started.stderr and "--articles" in started.stderr


def test_mcp_over_stdio_answers_an_unreadable_line_with_a_parse_error_and_goes_on(served):
    mcp = subprocess.Popen([str(ASSISTANT_BIN), "--articles", str(served.articles), "--index", str(served.index),
                            "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        mcp.stdin.write("this is not JSON-RPC\n")
        mcp.stdin.flush()
        refused = json.loads(mcp.stdout.readline())
        assert refused["id"] is None and refused["error"]["code"] == -32700
        hello = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
        mcp.stdin.write(json.dumps(hello) + "\n")
        mcp.stdin.flush()
        answered = json.loads(mcp.stdout.readline())
        assert answered["id"] == 1 and "serverInfo" in answered["result"]
    finally:
        mcp.stdin.close()
        mcp.wait(30)
