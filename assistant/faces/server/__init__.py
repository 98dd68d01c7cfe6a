"""Serving the index: the process that owns it (``served_index``), the folder watcher, the HTTP
endpoints beside the page, the OpenAI-compatible API and the MCP tools."""
