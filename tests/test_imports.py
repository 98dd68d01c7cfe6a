"""The house rules of docs/architecture.md, read from the code: imports run one way, modules stay small."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
# The faces: the command line, the page, the served index with its OpenAI-compatible API and MCP.
FACES = "assistant.faces"
# What a face may import: the façade, the settings, the errors and the records that cross it.
FACADE_AND_RECORDS = ("assistant.core", "assistant.settings", "assistant.errors", "assistant.records")
# The stages, each a package; the order is the flow (records and text are the ground floor).
STAGES = ("assistant.records", "assistant.text", "assistant.ingest", "assistant.embedders", "assistant.store",
          "assistant.search", "assistant.answering")
TOP_LEVEL = {"__init__.py", "core.py", "settings.py", "errors.py", "records", "text", "ingest", "embedders", "store",
             "search", "answering", "faces"}


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


def package_of(name: str) -> str:
    """The top-level room a module belongs to: ``assistant.search.hybrid`` -> ``assistant.search``."""
    return ".".join(name.split(".")[:2])


def within(name: str, places: tuple[str, ...] | str) -> bool:
    places = (places,) if isinstance(places, str) else places
    return any(name == p or name.startswith(p + ".") for p in places)


def test_the_top_of_the_package_holds_the_stages_the_faces_and_four_modules():
    found = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__" and (p.suffix == ".py" or p.is_dir())}
    assert found == TOP_LEVEL


def test_no_stage_imports_a_face():
    for name, targets in GRAPH.items():
        if not within(name, FACES):
            assert not {t for t in targets if within(t, FACES)}, f"{name} imports a face"


def test_faces_import_only_the_facade_the_records_and_each_other():
    for name, targets in GRAPH.items():
        if within(name, FACES):
            wrong = {t for t in targets if not within(t, (FACES, *FACADE_AND_RECORDS))}
            assert not wrong, f"{name} imports {wrong}"


def test_no_circle_between_packages():
    """Packages import each other one way: the folders read like the flow."""
    between: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        between.setdefault(package_of(name), set()).update(package_of(t) for t in targets)
    for package, targets in between.items():
        for target in targets - {package}:
            assert package not in between.get(target, set()), f"{package} and {target} import each other"


def test_the_ground_floor_imports_no_stage_above_it():
    for name, targets in GRAPH.items():
        if within(name, "assistant.records"):
            assert {t for t in targets if not within(t, ("assistant.records", "assistant.errors"))} == set(), name


def loaded_after(statement: str) -> set[str]:
    """Which heavy packages a fresh interpreter has loaded after ``statement``."""
    probe = (f"import sys; {statement}; heavy = {sorted(HEAVY)!r}; "
             "print(' '.join(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


# The last two are ours: the update and the article readers, which asking does not need.
HEAVY = {"torch", "sentence_transformers", "gradio", "chromadb", "langchain_core", "bm25s", "onnxruntime", "wordfreq",
         "assistant.ingest.indexer", "assistant.ingest.readers"}


def test_the_command_line_loads_nothing_heavy_before_a_command_runs():
    assert loaded_after("import assistant.faces.cli.main; assistant.faces.cli.main.build_parser()") == set()
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
    assert asked & {"torch", "sentence_transformers", "langchain_core", "gradio", "wordfreq",
                    "assistant.ingest.indexer", "assistant.ingest.readers"} == set(), asked
