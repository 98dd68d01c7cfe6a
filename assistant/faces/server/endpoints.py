"""What ``assistant serve`` adds beside the page, in the same process and over the same index: the
OpenAI-compatible API (``/v1``) and the MCP tools (``/mcp``), behind one bearer key when there is one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.middleware import Middleware

from ...core import Assistant
from .mcp_tools import build_mcp
from .openai_api import ApiKeyGuard, OpenAIApi


def api_app_kwargs(bot: Assistant, host: str, keys: list[str]) -> dict[str, Any]:
    """What the web server's FastAPI app gets beside the page: the OpenAI-compatible routes, the MCP tools
    at ``/mcp``, the guard asking for one of ``keys`` when there are any, and the MCP session manager's
    lifespan."""
    mcp = build_mcp(bot)
    mcp_routes = mcp.streamable_http_app(streamable_http_path="/mcp", host=host).routes

    @asynccontextmanager
    async def lifespan(_app: object) -> AsyncIterator[None]:
        async with mcp.session_manager.run():
            yield

    return {"routes": [*OpenAIApi(bot).routes(), *mcp_routes], "lifespan": lifespan,
            "middleware": [Middleware(ApiKeyGuard, key=keys)] if keys else []}
