"""The OpenAI-compatible API under concurrent load, on 127.0.0.1: the real façade over the indexed seed
article (ONNX embedder), served by uvicorn with the default settings (concurrency_limit 4, queue_timeout
30 s). 100 and 200 concurrent streaming requests, and 100 concurrent plain ones: how many were answered,
how many refused (503 + Retry-After), and the answered ones' time to the last byte.

    python benchmarks/bench_api_load.py [--out benchmarks/api_load.json]
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from common import out_path, percentiles, write_json
from starlette.applications import Starlette

from assistant import Assistant
from assistant.faces.server.openai_api import OpenAIApi

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Who confirmed the Palmyra attack?"


def serve(bot: Assistant) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=OpenAIApi(bot).routes()), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}/v1/chat/completions"


async def one(client: httpx.AsyncClient, url: str, stream: bool) -> tuple[int, float]:
    body = {"messages": [{"role": "user", "content": QUESTION}], "stream": stream}
    began = time.perf_counter()
    if stream:
        async with client.stream("POST", url, json=body) as response:
            async for _ in response.aiter_bytes():
                pass
            return response.status_code, time.perf_counter() - began
    response = await client.post(url, json=body)
    return response.status_code, time.perf_counter() - began


async def storm(url: str, count: int, stream: bool) -> dict:
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=count + 10)) as client:
        began = time.perf_counter()
        results = await asyncio.gather(*(one(client, url, stream) for _ in range(count)))
        wall = time.perf_counter() - began
    answered = [seconds for status, seconds in results if status == 200]
    return {"requests": count, "stream": stream, "answered": len(answered),
            "refused": sum(status == 503 for status, _ in results),
            "other": sum(status not in (200, 503) for status, _ in results), "wall_s": round(wall, 2),
            **({"latency": percentiles(answered)} if answered else {})}


def main() -> None:
    out = out_path(sys.argv, "api_load.json")
    with tempfile.TemporaryDirectory() as work:
        articles = Path(work) / "articles"
        shutil.copytree(ROOT / "seeds", articles)
        bot = Assistant(articles_dir=articles, index_dir=Path(work) / "index")
        bot.update_index()
        bot.ask(QUESTION)  # warm: the model is loaded before the clock starts
        server, url = serve(bot)
        try:
            runs = [asyncio.run(storm(url, count, stream)) for count, stream in ((100, False), (100, True),
                                                                                  (200, True))]
            after = httpx.post(url, json={"messages": [{"role": "user", "content": QUESTION}]}, timeout=60)
        finally:
            server.should_exit = True
    result = {"settings": {"concurrency_limit": bot.settings.concurrency_limit,
                           "queue_timeout": bot.settings.queue_timeout},
              "runs": runs, "answers_afterwards": after.status_code == 200}
    write_json(out, result)
    for run in runs:
        latency = run.get("latency", {})
        print(f"{run['requests']} {'streaming' if run['stream'] else 'plain'}: {run['answered']} answered, "
              f"{run['refused']} refused, {run['other']} other; p50 {latency.get('p50_ms')} ms, "
              f"p95 {latency.get('p95_ms')} ms; {run['wall_s']} s")
    print("answers afterwards:", result["answers_afterwards"])


if __name__ == "__main__":
    main()
