"""The PyTorch embedder's contract, which the ONNX backend must also keep, and the backend factory."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from assistant import embedders
from assistant.embedders import Embedder, OnnxEmbedder, SentenceEmbedder, backend_identity, make_embedder, models_dir
from assistant.embedders.onnx_format import EXPORT_VERSION
from assistant.settings import Settings

TEXTS = [
    "Pentagon spokesperson Sean Parnell confirmed the attack in Palmyra.",
    "Who confirmed the Palmyra attack?",
    "The recipe needs two cups of flour and a pinch of salt.",
]


@pytest.fixture(scope="module")
def embedder(torch_embedder: SentenceEmbedder) -> SentenceEmbedder:
    """These tests are about the PyTorch embedder (or compare the export with it)."""
    return torch_embedder


def test_vectors_are_unit_length_float32(embedder: SentenceEmbedder) -> None:
    vectors = embedder.encode(TEXTS)
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dimension) == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_related_texts_are_closer_than_unrelated(embedder: SentenceEmbedder) -> None:
    statement, question, recipe = embedder.encode(TEXTS)
    assert statement @ question > statement @ recipe + 0.3


def test_empty_input_gives_an_empty_matrix(embedder: SentenceEmbedder) -> None:
    before = embedder.texts_embedded
    assert embedder.encode([]).shape == (0, 384)
    assert embedder.texts_embedded == before


def test_counter_counts_texts(embedder: SentenceEmbedder) -> None:
    before = embedder.texts_embedded
    embedder.encode(TEXTS)
    embedder.embed_query("one more")
    assert embedder.texts_embedded == before + 4


def test_tokens_are_counted_without_special_tokens(embedder: SentenceEmbedder) -> None:
    assert embedder.count_tokens([]) == []
    assert embedder.count_tokens(["Palmyra", "hello world"]) == [len(embedder.model.tokenizer.tokenize("Palmyra")), 2]
    assert embedder.max_tokens == 256


def test_langchain_interface_matches_encode(embedder: SentenceEmbedder) -> None:
    documents = embedder.embed_documents(TEXTS[:2])
    assert isinstance(documents, list) and isinstance(documents[0], list) and isinstance(documents[0][0], float)
    assert np.allclose(documents, embedder.encode(TEXTS[:2]), atol=1e-6)
    assert np.allclose(embedder.embed_query(TEXTS[1]), documents[1], atol=1e-6)


@pytest.mark.parametrize("kwargs", [{"model": ""}, {"batch_size": 0}])
def test_bad_arguments_are_named(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"model|batch_size"):
        SentenceEmbedder(**kwargs)


def test_factory_picks_the_backend_without_loading_anything(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    torch_embedder = make_embedder(Settings(index_dir=tmp_path, embedding_backend="torch"))
    assert type(torch_embedder) is SentenceEmbedder and torch_embedder.backend == "torch"
    onnx_embedder = make_embedder(Settings(index_dir=tmp_path, embedding_backend="onnx", embedding_batch_size=8,
                                           models_dir=None))
    assert isinstance(onnx_embedder, OnnxEmbedder) and onnx_embedder.backend == "onnx"
    user_cache = tmp_path / "cache" / "news-assistant" / "models"
    assert onnx_embedder.cache_dir == user_cache == models_dir(Settings(index_dir=tmp_path, models_dir=None))
    assert onnx_embedder.batch_size == 8
    assert "model" not in vars(torch_embedder) and not onnx_embedder._loaded  # lazy: nothing loaded yet
    assert not user_cache.exists()


def test_onnx_backend_refuses_a_gpu_device(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="CPU"):
        make_embedder(Settings(index_dir=tmp_path, embedding_backend="onnx", device="cuda"))


def test_backend_identity_tells_vectors_apart(tmp_path: Path) -> None:
    assert backend_identity(Settings(index_dir=tmp_path, embedding_backend="torch")) == "torch"
    assert backend_identity(Settings(index_dir=tmp_path, embedding_backend="onnx")) == f"onnx-int8-v{EXPORT_VERSION}"


def test_exports_are_shared_by_every_index_unless_a_setting_moves_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    one, other = (SimpleNamespace(index_dir=tmp_path / name, models_dir=None) for name in ("one", "other"))
    assert models_dir(one) == models_dir(other) == tmp_path / "cache" / "news-assistant" / "models"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert models_dir(one) == Path.home() / ".cache" / "news-assistant" / "models"
    moved = SimpleNamespace(index_dir=tmp_path / "one", models_dir=tmp_path / "shared")
    assert models_dir(moved) == tmp_path / "shared"


def test_both_backends_keep_the_protocol(embedder: SentenceEmbedder, tmp_path: Path) -> None:
    assert isinstance(embedder, Embedder)
    assert isinstance(make_embedder(Settings(index_dir=tmp_path, embedding_backend="onnx")), Embedder)


def test_imports_in_the_package_run_one_way() -> None:
    """factory -> backends -> format: no circle, and the file format imports nothing of the package."""
    package = Path(embedders.__file__).parent
    graph = {path.stem: local_imports(path) for path in package.glob("*.py") if path.stem != "__init__"}
    assert graph["onnx_format"] == set() and graph["protocol"] == set()
    assert "factory" not in set().union(*graph.values())  # nothing below the factory reaches back up

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, f"import circle: {' -> '.join((*trail, module))}"
        for imported in graph[module]:
            visit(imported, (*trail, module))

    for module in graph:
        visit(module, ())


def local_imports(path: Path) -> set[str]:
    """Sibling modules that ``path`` imports (``from . import x``, ``from ..x import y``), wherever written."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {alias.name for alias in node.names}
    return found


def test_an_embedder_is_a_langchain_embeddings_once_langchain_is_used():
    from langchain_core.embeddings import Embeddings

    import assistant.search.langchain  # noqa: F401 - registers the embedders

    assert isinstance(SentenceEmbedder(), Embeddings) and issubclass(OnnxEmbedder, Embeddings)
