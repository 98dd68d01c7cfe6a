"""The house rules of docs/architecture.md, read from the code: imports run one way, modules stay small."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
# the page, the command, the OpenAI-compatible API and MCP; one may start another beside it (`serve`)
INTERFACES = {"assistant.cli", "assistant.cli_ask", "assistant.cli_feeds", "assistant.web", "assistant.web_articles",
              "assistant.web_assets", "assistant.web_conversations",
              "assistant.web_feeds", "assistant.endpoints", "assistant.openai_api", "assistant.mcp_server"}
FACADE_AND_RECORDS = {"assistant.core", "assistant.serving", "assistant.types", "assistant.reports", "assistant.events",
                      "assistant.records", "assistant.settings", "assistant.render", *INTERFACES}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {}


def imports_of(path: Path) -> set[str]:
    """The assistant modules ``path`` imports, at module level or inside functions."""
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            # `from . import onnx_export` imports the submodule; `from .types import Answer`, the module
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


MODULES.update({module_name(p): p for p in PACKAGE.rglob("*.py")})
GRAPH = {name: {m for m in imports_of(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def test_no_import_circle():
    def visit(name: str, trail: tuple[str, ...]) -> None:
        for target in GRAPH[name]:
            assert target not in trail, " -> ".join((*trail, target))
            if target not in done:
                visit(target, (*trail, target))
        done.add(name)

    done: set[str] = set()
    for name in sorted(GRAPH):
        visit(name, (name,))


def test_no_stage_imports_an_interface():
    for name, targets in GRAPH.items():
        if name not in INTERFACES and name != "assistant.__main__":
            assert not targets & INTERFACES, f"{name} imports {targets & INTERFACES}"


def test_interfaces_import_only_the_facade_and_the_records():
    for name in INTERFACES:
        assert GRAPH[name] <= FACADE_AND_RECORDS, f"{name} imports {GRAPH[name] - FACADE_AND_RECORDS}"


def test_no_module_over_250_lines():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > 250}
    assert not long, long


def loaded_after(statement: str) -> set[str]:
    """Which heavy packages a fresh interpreter has loaded after ``statement``."""
    probe = (f"import sys; {statement}; heavy = {sorted(HEAVY)!r}; "
             "print(' '.join(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


# The last two are ours: the update and the article readers, which asking does not need.
HEAVY = {"torch", "sentence_transformers", "gradio", "chromadb", "langchain_core", "bm25s", "onnxruntime", "wordfreq",
         "assistant.indexer", "assistant.readers"}


def test_the_command_line_loads_nothing_heavy_before_a_command_runs():
    assert loaded_after("import assistant.cli; assistant.cli.build_parser()") == set()
    # The façade class alone: the model, Chroma and the web stack wait until they are used.
    facade = loaded_after("from assistant import Assistant, Filters")
    assert not facade & {"torch", "sentence_transformers", "gradio", "chromadb", "onnxruntime"}, facade


def test_asking_with_the_onnx_embedder_loads_neither_torch_nor_langchain_nor_gradio(tmp_path):
    """``assistant ask`` from a cold process: only what answering needs (measured in benchmarks/)."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("# Fire\n\nCrews contained the fire on Monday.\n")
    folders = f"articles_dir={str(tmp_path / 'articles')!r}, index_dir={str(tmp_path / 'index')!r}"
    loaded_after(f"from assistant import Assistant; Assistant({folders}).update_index()")  # may export the model
    asked = loaded_after(f"from assistant import Assistant; Assistant({folders}).ask('When was the fire contained?')")
    assert "chromadb" in asked and "onnxruntime" in asked  # it did ask
    assert asked & {"torch", "sentence_transformers", "langchain_core", "gradio", "wordfreq", "assistant.indexer",
                    "assistant.readers"} == set(), asked
