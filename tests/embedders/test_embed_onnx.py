"""The ONNX int8 backend: same vectors as PyTorch (nearly), a cached export that is reused, rebuilt
when missing or stale, written atomically, and a PyTorch fallback for models it cannot export."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.embedders import OnnxEmbedder, SentenceEmbedder, onnx_export
from assistant.embedders.onnx_format import cache_file, fingerprint
from assistant.embedders.onnx_runtime import load_runtime
from assistant.settings import DEFAULT_MODEL

from ..conftest import SEEDS

TEXTS = [
    "Who confirmed the Palmyra attack?",
    "Pentagon spokesperson Sean Parnell confirmed the attack, which occurred on December 13th in the ancient "
    "city of Palmyra, was carried out by an IS militant who was later killed in the ensuing firefight.",
    "According to Al Hadath TV, the attack originated from the Ash Shaddadi military base in the Hasakeh "
    "province, targeting IS strongholds in the neighboring Deir ez-Zor province.",
    "The recipe needs two cups of flour.",
    " ".join(["The coalition continued its campaign while diplomats met in the capital."] * 60),  # > 256 pieces
]


@pytest.fixture(scope="module")
def embedder(torch_embedder: SentenceEmbedder) -> SentenceEmbedder:
    """These tests are about the PyTorch embedder (or compare the export with it)."""
    return torch_embedder


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx") / "models"


@pytest.fixture(scope="module")
def onnx_embedder(cache: Path) -> OnnxEmbedder:
    """Exported once for this module (~10 s)."""
    embedder = OnnxEmbedder(cache_dir=cache)
    embedder.encode(["warm up"])
    assert embedder.exports == 1 and embedder.backend == "onnx"
    return embedder


def test_vectors_match_pytorch(onnx_embedder: OnnxEmbedder, embedder: SentenceEmbedder) -> None:
    ours, reference = onnx_embedder.encode(TEXTS), embedder.encode(TEXTS)
    assert ours.shape == reference.shape and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * reference, axis=1)
    assert cosines.min() >= 0.98, cosines
    assert cosines.mean() >= 0.99, cosines


def test_batching_does_not_change_vectors_much(onnx_embedder: OnnxEmbedder) -> None:
    together = onnx_embedder.encode(TEXTS)
    alone = np.vstack([onnx_embedder.encode([t]) for t in TEXTS])
    assert np.sum(together * alone, axis=1).min() >= 0.98
    assert np.allclose(onnx_embedder.encode(TEXTS[::-1])[::-1], together, atol=1e-5)  # order is restored


def test_tokens_and_limits_match_pytorch(onnx_embedder: OnnxEmbedder, embedder: SentenceEmbedder) -> None:
    assert onnx_embedder.count_tokens(TEXTS) == embedder.count_tokens(TEXTS)
    assert onnx_embedder.count_tokens(TEXTS)[-1] > 256  # counting never truncates
    assert onnx_embedder.count_tokens([]) == []
    assert (onnx_embedder.max_tokens, onnx_embedder.dimension) == (embedder.max_tokens, embedder.dimension)
    encoded = onnx_embedder.runtime.encoder.encode(TEXTS[-1])
    assert len(encoded.ids) == 256  # feeding the model truncates like sentence-transformers does


def test_langchain_interface_and_counter(onnx_embedder: OnnxEmbedder) -> None:
    before = onnx_embedder.texts_embedded
    documents = onnx_embedder.embed_documents(TEXTS[:2])
    query = onnx_embedder.embed_query(TEXTS[0])
    # int8 activations are scaled per call, so a text's vector moves slightly with its batch companions
    assert float(np.dot(query, documents[0])) >= 0.98
    assert onnx_embedder.texts_embedded == before + 3
    assert onnx_embedder.encode([]).shape == (0, 384)


def test_export_is_one_file_named_after_the_model_with_no_leftovers(onnx_embedder: OnnxEmbedder, cache: Path) -> None:
    assert onnx_embedder.path == cache / "all-MiniLM-L6-v2-int8.onnx"
    assert onnx_embedder.path.stat().st_size > 10_000_000
    leftovers = [p.name for p in cache.iterdir() if p.name != onnx_embedder.path.name and not p.name.endswith(".lock")]
    assert leftovers == []
    assert oct(onnx_embedder.path.stat().st_mode & 0o777) == oct(0o644)


def test_cached_export_is_reused_without_torch(onnx_embedder: OnnxEmbedder, cache: Path) -> None:
    stat = onnx_embedder.path.stat()
    again = OnnxEmbedder(cache_dir=cache)
    assert np.allclose(again.encode(TEXTS[:2]), onnx_embedder.encode(TEXTS[:2]), atol=1e-6)
    assert again.exports == 0
    assert (onnx_embedder.path.stat().st_ino, onnx_embedder.path.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    # A fresh process that finds the file never imports torch: that is the start-up time users save.
    code = ("import sys; from assistant.embedders import OnnxEmbedder; "
            f"e = OnnxEmbedder(cache_dir={str(cache)!r}); e.encode(['hi']); "
            "assert e.exports == 0; assert 'torch' not in sys.modules, 'torch imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr


def test_stale_or_damaged_exports_are_not_loaded(onnx_embedder: OnnxEmbedder, tmp_path: Path) -> None:
    assert load_runtime(onnx_embedder.path, fingerprint(DEFAULT_MODEL)) is not None
    assert load_runtime(onnx_embedder.path, "made-from-other-files") is None
    damaged = tmp_path / "damaged.onnx"
    damaged.write_bytes(onnx_embedder.path.read_bytes()[:1000])
    assert load_runtime(damaged, fingerprint(DEFAULT_MODEL)) is None
    assert load_runtime(tmp_path / "missing.onnx", fingerprint(DEFAULT_MODEL)) is None


def test_fingerprint_follows_the_model_files(tmp_path: Path) -> None:
    model = tmp_path / "my-model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights")
    first = fingerprint(str(model))
    (model / "model.safetensors").write_bytes(b"other weights")
    assert fingerprint(str(model)) != first
    assert cache_file(str(model) + "/", tmp_path) == tmp_path / "my-model-int8.onnx"
    assert cache_file("sentence-transformers/all-mpnet-base-v2", tmp_path).name == "all-mpnet-base-v2-int8.onnx"


def test_deleted_export_is_rebuilt(onnx_embedder: OnnxEmbedder, cache: Path) -> None:
    onnx_embedder.path.unlink()
    rebuilt = OnnxEmbedder(cache_dir=cache)
    vectors = rebuilt.encode(TEXTS[:2])
    assert rebuilt.exports == 1 and rebuilt.path.exists()
    assert np.sum(vectors * onnx_embedder.encode(TEXTS[:2]), axis=1).min() >= 0.999


def test_unexportable_model_falls_back_to_pytorch(monkeypatch, tmp_path: Path, embedder: SentenceEmbedder) -> None:
    def refuse(model_name: str, target: Path) -> None:
        raise onnx_export.UnsupportedModel("has a Dense layer")

    monkeypatch.setattr(onnx_export, "export_int8", refuse)
    fallback = OnnxEmbedder(cache_dir=tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        vectors = fallback.encode(TEXTS[:2])
    assert any("using PyTorch" in str(w.message) for w in caught)
    assert fallback.backend == "torch" and fallback.exports == 0
    assert np.allclose(vectors, embedder.encode(TEXTS[:2]), atol=1e-5)
    assert fallback.count_tokens(["Palmyra"]) == embedder.count_tokens(["Palmyra"])


def test_export_refuses_models_it_cannot_mirror() -> None:
    class Layer:
        pass

    class Dense(Layer):
        pass

    class Transformer(Layer):
        pass

    with pytest.raises(onnx_export.UnsupportedModel, match="Dense"):
        onnx_export.describe([Transformer(), Dense()], "custom")


@pytest.mark.e2e
def test_assistant_answers_with_the_onnx_backend(onnx_embedder: OnnxEmbedder, cache: Path, tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "articles")
    (tmp_path / "index" / "models").mkdir(parents=True)
    shutil.copy2(onnx_embedder.path, tmp_path / "index" / "models" / onnx_embedder.path.name)
    # No embedder handed in: the factory must find the copied export, not rebuild it.
    bot = Assistant(articles_dir=tmp_path / "articles", index_dir=tmp_path / "index", embedding_backend="onnx")
    report = bot.update_index()
    assert report.chunks > 0 and bot.embedder.exports == 0
    answer = bot.ask("Who confirmed the Palmyra attack?")
    assert "Sean Parnell" in answer.text and not answer.abstained
