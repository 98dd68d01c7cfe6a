"""The README's Python examples run as written, in a fresh folder holding a copy of the seeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

RUN = ("Python", "From Python")  # examples that need a running server: test_web.py, test_endpoints_e2e.py


def blocks(language: str = "python") -> dict[str, str]:
    """The first block of ``language`` under each heading, by heading."""
    found: dict[str, str] = {}
    heading, block = "", None
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if block is not None:
            if line.strip() == "```":
                found.setdefault(heading, "\n".join(block) + "\n")
                block = None
            else:
                block.append(line)
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.strip() == f"```{language}":
            block = []
    return found


def examples() -> dict[str, str]:
    found = blocks()
    assert set(RUN) <= set(found), sorted(found)
    return {heading: found[heading] for heading in RUN}


@pytest.mark.e2e
def test_readme_examples_run_as_written_in_order(tmp_path: Path):
    """In one folder, as a reader would: the first example indexes the seeds, the later ones use that index."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    for heading, code in examples().items():
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "ASSISTANT_LLM_TIMEOUT": "5"})
        assert done.returncode == 0, f"{heading}: {done.stderr[-3000:]}"
        assert "Sean Parnell" in done.stdout, f"{heading}: {done.stdout[-2000:]}"


def test_the_readme_documents_every_command_option_and_mcp_tool_argument():
    """The command list of "The command line" names every sub-command and its options, and "Agents: the MCP
    server" every tool with its arguments, as the parser and the MCP server define them."""
    import asyncio
    import re
    from types import SimpleNamespace

    from assistant.faces.cli.main import GLOBAL_OPTIONS, build_parser
    from assistant.faces.server.mcp_tools import build_mcp

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = text[text.index("## The command line"):text.index("## Python")]
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    shared = {"--help", *(f"--{flag.replace('_', '-')}" for flag in GLOBAL_OPTIONS)}
    for name, command in sub.choices.items():
        assert re.search(rf"^assistant {name}\b", commands, re.MULTILINE), f"`assistant {name}` is not listed"
        line = "\n".join(chunk for chunk in re.split(r"\n(?=assistant )", commands)
                         if chunk.startswith(f"assistant {name}"))
        for option in {o for a in command._actions for o in a.option_strings if o.startswith("--")} - shared:
            assert option in line, f"`assistant {name}` does not show {option}"
    agents = text[text.index("## Agents: the MCP server"):text.index("## The command line")]
    tools = asyncio.run(build_mcp(SimpleNamespace()).list_tools())
    for tool in tools:
        arguments = list(tool.input_schema.get("properties", {}))
        shown = re.search(rf"`{tool.name}\(([^)]*)\)`", agents)
        assert shown, f"the MCP tool {tool.name} is not listed"
        assert [a.strip(" ?") for a in shown.group(1).split(",") if a.strip()] == arguments, tool.name
