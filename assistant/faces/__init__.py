"""The faces over the one façade (``core.Assistant``): the command line, the web page and the server
(OpenAI-compatible API, MCP, the served index). Faces parse, make one façade call and show the result."""
