"""Export a sentence-transformers model to one int8 ONNX file (used by :mod:`.onnx_backend`).

Recipe, measured on 2 shared cores with chunks of ~180 word pieces (see benchmarks/RESULTS.md):
``torch.onnx.export`` (TorchScript, ``dynamo=False``) with eager attention, so that onnxruntime's BERT
fusions find the attention blocks; ``quantize_dynamic`` to int8 with per-channel scales on the weight
MatMuls and the fused attention. Plain export + int8 MatMuls gives ~2.2x PyTorch; the fused graph
~3x, at the same cosine to the float vectors (~0.993). Every export is checked against the PyTorch
model on probe texts before it replaces the cached file; a fused graph that fails the check is
rebuilt without fusion.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..errors import ModelError, UnsupportedModel
from ..settings import resolve_model_path
from .onnx_format import POOLINGS, fingerprint, to_metadata
from .onnx_runtime import encode_with, load_runtime

# Cosine of the int8 vectors to the PyTorch ones on PROBES. Measured for MiniLM: 0.992-0.995 on sentences
# and passages, 0.96-0.97 on a one-word text (dynamic int8 is coarsest there); int8 on every op
# without per-channel scales averages 0.95, which must never ship.
MIN_MEAN_COSINE = 0.98
MIN_COSINE = 0.93
FUSABLE = {"bert"}  # model types onnxruntime's "bert" optimizer fuses correctly (MiniLM is one)
PROBES = [
    "Who confirmed the Palmyra attack?",
    "Pentagon spokesperson Sean Parnell confirmed the attack, which occurred on December 13th in the ancient "
    "city of Palmyra, was carried out by an IS militant who was later killed in the ensuing firefight.",
    "Palmyra",
    " ".join(["The coalition continued its campaign across the region while diplomats met."] * 40),  # truncated
]


@contextmanager
def quiet() -> Iterator[None]:
    """Silence tracer warnings and the quantiser's root-logger hint (which would also call basicConfig)."""
    root, guard = logging.getLogger(), logging.NullHandler()
    level = root.level
    root.addHandler(guard)
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.removeHandler(guard)
        root.setLevel(level)


def describe(model, model_name: str) -> dict[str, str]:
    """What the runtime needs besides the graph; raises UnsupportedModel for layers we cannot mirror."""
    kinds = [type(module).__name__ for module in model]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        raise UnsupportedModel(f"model {model_name!r} has layers {kinds}; the ONNX backend handles "
                               "Transformer + Pooling (+ Normalize) only")
    pool = model[1]
    pooling = str(getattr(pool, "pooling_mode", None) or pool.get_pooling_mode_str())
    if pooling not in POOLINGS:
        raise UnsupportedModel(f"model {model_name!r} pools with {pooling!r}; the ONNX backend does {POOLINGS}")
    from .torch_backend import embedding_dimension  # with LangChain's Embeddings: only when exporting

    tokenizer = model.tokenizer
    return {
        "fingerprint": fingerprint(model_name),
        "model": model_name,
        "tokenizer": tokenizer.backend_tokenizer.to_str(),
        "input_names": json.dumps(list(tokenizer.model_input_names)),
        "max_seq_length": str(model.max_seq_length),
        "pooling": pooling,
        "pad_id": str(tokenizer.pad_token_id or 0),
        "dimension": str(embedding_dimension(model)),
    }


def export_float(model, path: Path) -> None:
    """The transformer alone (hidden states out); pooling runs in numpy, as in the PyTorch model."""
    import torch

    names = list(model.tokenizer.model_input_names)
    inner = model[0].auto_model.eval()
    with suppress(AttributeError, ValueError):
        inner.set_attn_implementation("eager")  # SDPA traces to a graph the fusions do not recognise

    class Wrapper(torch.nn.Module):
        """Positional inputs in, last hidden state out: what the TorchScript exporter can trace."""

        def __init__(self) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(names, inputs, strict=True)), return_dict=True).last_hidden_state

    sample = model.tokenizer(["an example", "a slightly longer example sentence"], padding=True,
                             return_tensors="pt")
    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, "hidden"]}
    with torch.no_grad():
        torch.onnx.export(Wrapper(), tuple(sample[n] for n in names), str(path), input_names=names,
                          output_names=["hidden"], dynamic_axes=axes, opset_version=17, dynamo=False)


def fuse(source: Path, target: Path, config) -> bool:
    """onnxruntime's BERT fusions (attention, layer norms, GELU); False when the graph is not fusable."""
    if getattr(config, "model_type", "") not in FUSABLE:
        return False
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(str(source), model_type="bert", num_heads=config.num_attention_heads,
                                     hidden_size=config.hidden_size, opt_level=1, use_gpu=False)
    if not fused.get_fused_operator_statistics().get("Attention"):
        return False
    fused.save_model_to_file(str(target))
    return True


def quantize(source: Path, target: Path, fused: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul", "Attention"] if fused else ["MatMul"],
                     extra_options={"MatMulConstBOnly": True, "DefaultTensorType": 1})  # 1 = float


def export_int8(model_name: str, target: Path) -> None:
    """Export, quantise, check and atomically write ``target`` (readers see the old file or the new)."""
    import onnx
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model_path(model_name), device="cpu")
    meta = describe(model, model_name)
    reference = model.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as work, quiet():
        float_path, fused_path, int8_path = (Path(work, n) for n in ("float.onnx", "fused.onnx", "int8.onnx"))
        export_float(model, float_path)
        transformer = cast(Any, model[0])  # torch types a module's attributes as Tensor | Module
        attempts = [True, False] if fuse(float_path, fused_path, transformer.auto_model.config) else [False]
        for fused in attempts:
            quantize(fused_path if fused else float_path, int8_path, fused)
            proto = onnx.load(str(int8_path))
            for key, value in to_metadata(meta).items():
                entry = proto.metadata_props.add()
                entry.key, entry.value = key, value
            candidate = Path(work, "candidate.onnx")
            onnx.save(proto, str(candidate))
            runtime = load_runtime(candidate, meta["fingerprint"])
            cosines = np.sum(encode_with(runtime, PROBES) * reference, axis=1) if runtime else np.zeros(1)
            if cosines.mean() >= MIN_MEAN_COSINE and cosines.min() >= MIN_COSINE:
                break
        else:
            raise ModelError(f"the int8 export of {model_name!r} is too far from the model "
                               f"(cosine {cosines.mean():.3f} on average, {cosines.min():.3f} at worst)")
        os.chmod(candidate, 0o644)  # the temporary folder is private; the index folder is not
        os.replace(candidate, target)  # same folder, same file system: atomic
