"""The answer checker: a cross-encoder that reads the question with a candidate sentence (and the one
before it) and says how likely the sentence answers it.

It is made of the bundled MiniLM's embeddings and first ``FROZEN`` layers as they are, ``TRAINED`` more
layers fine-tuned on squad2-train (initialised from the bundled ones at that depth) and a one-number
head: reading both texts together is what a bi-encoder's cosine cannot do, and four layers instead of six
keep it at a few milliseconds a sentence. Only the fine-tuned layers and the head ship
(``checker.safetensors``, int8 weights with a float16 scale per row, ~3.6 MB, made by ``make train``); on
first use they are put on the bundled weights, exported to int8 ONNX and cached beside the embedder's
export, so a process that finds the file never imports torch.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..embedders.onnx_runtime import session_options, token_arrays
from ..errors import ModelError
from ..settings import DEFAULT_MODEL, resolve_model_path


class Readable(Protocol):
    """What the checker reads of a candidate: a retrieved sentence, or a training example."""

    @property
    def text(self) -> str: ...
    @property
    def previous(self) -> str: ...

SHIPPED = Path(__file__).with_name("checker.safetensors")
FROZEN = 2  # bundled layers used as they are
TRAINED = 2  # the layers after them, fine-tuned
MAX_TOKENS = 96  # question + sentence + the one before it, cut from the end of the longer: as trained
READ_TOKENS = 56  # what the checker reads in use: trained on 96, it scores nearly as well on 56, in two-thirds the time
RECIPE = "2"  # bump when the network or the export changes: cached exports are rebuilt


def tokenizer(max_tokens: int = MAX_TOKENS):
    """The bundled model's tokenizer, reading a (question, sentence and the one before) pair of at most
    ``max_tokens``."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(resolve_model_path(DEFAULT_MODEL)) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens, strategy="longest_first")
    return tokenizer


def pair_text(sentence: str, previous: str) -> str:
    """The second text of a pair: the sentence first, so truncation cuts the one before it first."""
    return f"{sentence} {previous}".strip()


def network(trained: dict | None = None, spans: bool = False) -> Any:
    """The checker as a torch module (``forward(input_ids, attention_mask, token_type_ids) -> logits``),
    with the shipped layers and head when ``trained`` (a state dict of ``upper`` and ``head``) is given.
    With ``spans``, the span reader of the same shape (reader.py): its head gives every token a start and
    an end logit (``[batch, sequence, 2]``) instead of the first token one logit."""
    import torch
    from transformers import AutoModel

    base = AutoModel.from_pretrained(resolve_model_path(DEFAULT_MODEL), attn_implementation="eager")

    class CheckerNetwork(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embeddings = base.embeddings
            self.lower_layers = torch.nn.ModuleList(base.encoder.layer[:FROZEN])
            self.upper = torch.nn.ModuleList(base.encoder.layer[FROZEN:FROZEN + TRAINED])
            self.head = torch.nn.Linear(base.config.hidden_size, 2 if spans else 1)
            for parameter in [*self.embeddings.parameters(), *self.lower_layers.parameters()]:
                parameter.requires_grad_(False)

        @staticmethod
        def additive(mask: torch.Tensor) -> torch.Tensor:
            return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

        def lower(self, input_ids, attention_mask, token_type_ids) -> torch.Tensor:
            hidden = self.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
            for layer in self.lower_layers:
                hidden = layer(hidden, attention_mask=self.additive(attention_mask))
            return hidden

        def top(self, hidden, attention_mask) -> torch.Tensor:
            for layer in self.upper:
                hidden = layer(hidden, attention_mask=self.additive(attention_mask))
            return self.head(hidden) if spans else self.head(hidden[:, 0]).squeeze(-1)

        def forward(self, input_ids, attention_mask, token_type_ids) -> torch.Tensor:
            return self.top(self.lower(input_ids, attention_mask, token_type_ids), attention_mask)

    model = CheckerNetwork().eval()
    if trained is not None:
        state = unpacked(trained)
        missing = [k for k in model.state_dict() if k.startswith(("upper.", "head.")) and k not in state]
        if missing:
            raise ModelError(f"the checker file lacks {missing[0]!r}; run make train again")
        model.load_state_dict(state, strict=False)
    return model


def packed(state: dict) -> dict:
    """The trained weights as shipped: each matrix as int8 with a float16 scale per row, the rest float16."""
    import torch

    out = {}
    for name, tensor in state.items():
        tensor = tensor.detach().float()
        if tensor.dim() == 2:
            scale = tensor.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / 127.0
            out[name] = torch.round(tensor / scale).to(torch.int8).contiguous()
            out[f"{name}{SCALE}"] = scale.half().contiguous()
        else:
            out[name] = tensor.half().contiguous()
    return out


def unpacked(shipped: dict) -> dict:
    """:func:`packed`'s weights as float32 again."""
    return {name: tensor.float() * shipped[f"{name}{SCALE}"].float() if f"{name}{SCALE}" in shipped
            else tensor.float() for name, tensor in shipped.items() if not name.endswith(SCALE)}


SCALE = ".int8_scale"


def save_top(model: Any, out: Path) -> None:
    """Write what ships of a trained :func:`network`: its fine-tuned layers and head, :func:`packed`."""
    from safetensors.torch import save_file

    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(packed({k: v for k, v in model.state_dict().items() if k.startswith(("upper.", "head."))}), str(out))


def shipped_fingerprint(path: Path = SHIPPED) -> str:
    digest = hashlib.sha256(f"{RECIPE}\x00{DEFAULT_MODEL}\x00".encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def export_int8(shipped: Path, target: Path, spans: bool = False) -> None:
    """The checker (or with ``spans`` the span reader) with the shipped layers, as one int8 ONNX file,
    written atomically."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from safetensors.torch import load_file

    from ..embedders.onnx_export import quiet

    model = network(load_file(str(shipped)), spans)
    sample = token_arrays(tokenizer().encode_batch([("Who won?", "The Broncos won the game.")] * 2))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {**{n: {0: "batch", 1: "sequence"} for n in names},
            "logits": {0: "batch", 1: "sequence"} if spans else {0: "batch"}}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as work, quiet():
        float_path, int8_path = Path(work, "float.onnx"), Path(work, "int8.onnx")
        with torch.no_grad():
            torch.onnx.export(model, tuple(torch.from_numpy(sample[n]) for n in names), str(float_path),
                              input_names=names, output_names=["logits"], opset_version=17, dynamo=False,
                              dynamic_axes=axes)
        quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], extra_options={"MatMulConstBOnly": True})
        proto = onnx.load(str(int8_path))
        entry = proto.metadata_props.add()
        entry.key, entry.value = "assistant.fingerprint", shipped_fingerprint(shipped)
        onnx.save(proto, str(int8_path))
        os.chmod(int8_path, 0o644)
        os.replace(int8_path, target)


def logit_range(shipped: Path = SHIPPED) -> tuple[float, float]:
    """The least and the most logit the checker can give any pair, from its head alone, so a candidate the
    scorer would reject even at the most can go unread. The head reads the top layer's LayerNorm output
    ``γ⊙z + β``, where ``z`` has mean 0 and length under ``sqrt(width)``: ``w·(γ⊙z + β) + b`` lies within
    ``‖centred(w⊙γ)‖·sqrt(width)`` of ``w·β + b`` (Cauchy–Schwarz). Read without torch."""
    from safetensors import safe_open

    norm = f"upper.{TRAINED - 1}.output.LayerNorm"
    with safe_open(str(shipped), framework="np") as weights:
        head = weights.get_tensor("head.weight").astype(np.float64) * weights.get_tensor(f"head.weight{SCALE}")
        bias = float(weights.get_tensor("head.bias").astype(np.float64).sum())
        gamma = weights.get_tensor(f"{norm}.weight").astype(np.float64)
        beta = weights.get_tensor(f"{norm}.bias").astype(np.float64)
    scaled = head[0] * gamma
    reach = float(np.linalg.norm(scaled - scaled.mean()) * np.sqrt(scaled.size))
    centre = float(head[0] @ beta) + bias
    return centre - reach, centre + reach


class ShippedNetwork:
    """A network of :func:`network`'s shape whose trained layers ship in the repo (``shipped``), run from its
    int8 export ``cache_dir/filename``, made on first use and made again when the shipped file changes."""

    spans = False  # which head: one logit a pair (the checker) or a start and an end logit a token
    max_tokens = MAX_TOKENS  # the longest pair it reads, as it was trained

    def __init__(self, cache_dir: Path, shipped: Path, filename: str) -> None:
        if not shipped.is_file():
            raise ModelError(f"{shipped} is missing; run make train to make it")
        self.shipped = shipped
        self.path = Path(cache_dir) / filename
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        import onnxruntime as ort

        expected = shipped_fingerprint(self.shipped)
        for attempt in (0, 1):
            try:
                session = ort.InferenceSession(str(self.path), session_options(), providers=["CPUExecutionProvider"])
                if session.get_modelmeta().custom_metadata_map.get("assistant.fingerprint") == expected:
                    return session
            except Exception:  # missing or damaged: made again below
                pass
            if attempt == 0:
                export_int8(self.shipped, self.path, self.spans)
        raise ModelError(f"the export {self.path} cannot be loaded")

    @property
    def session(self) -> Any:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._tokenizer = tokenizer(self.max_tokens)
                    self._session = self._load()
        return self._session

    def encoded(self, question: str, sentences: Sequence[Readable]) -> tuple[list[Any], np.ndarray]:
        """The tokenised pairs and the network's output for them."""
        session = self.session
        encodings = self._tokenizer.encode_batch([(question, pair_text(s.text, s.previous)) for s in sentences])
        return encodings, np.asarray(session.run(None, token_arrays(encodings))[0])


class AnswerChecker(ShippedNetwork):
    """``logits(question, sentences)``: how likely each sentence answers (higher: more), from the int8 export
    in ``cache_dir``, made on first use from ``shipped``. The export scales its activations per call (dynamic
    int8), so a sentence's logit moves a little with the sentences read beside it (~0.3 measured; a float32
    export does not, but took 2.5x as long for five sentences). It reads pairs of ``READ_TOKENS``: cutting the
    sentence before the candidate shorter costs little (out of fold on squad2-train: containment 79.8% against
    80.3% reading all 96 it was trained on, benchmarks/DECISIONS.md)."""

    max_tokens = READ_TOKENS

    def __init__(self, cache_dir: Path, shipped: Path = SHIPPED) -> None:
        super().__init__(cache_dir, shipped, "answer-checker-int8.onnx")

    @functools.cached_property
    def logit_range(self) -> tuple[float, float]:
        """The least and the most logit this checker can give (:func:`logit_range`)."""
        return logit_range(self.shipped)

    def logits(self, question: str, sentences: Sequence[Readable]) -> list[float]:
        if not sentences:
            return []
        return [float(x) for x in self.encoded(question, sentences)[1].reshape(-1)]
