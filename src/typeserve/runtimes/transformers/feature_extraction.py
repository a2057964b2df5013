"""feature-extraction from a base encoder (`AutoModel`, e.g. BertModel) or a sentence-transformers
folder: one padded forward pass per batch, then pooling as the folder's sentence-transformers
config says (`modules.json` -> its Pooling module's `config.json`: mean, CLS, max, ...), mean
pooling where it says nothing. Unit length is the request's choice (`normalize`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from typeserve.modeltypes.feature_extraction import FeatureExtractionOutput
from typeserve.runtimes.embeddings import POOLING_MODES, PoolingMode, embedding_outputs, pool
from typeserve.runtimes.transformers.adapter_base import Adapter, model_max_length

POOLING_MODULE = "sentence_transformers.models.Pooling"


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def pooling_mode(folder: Path) -> PoolingMode:
    """The pooling a sentence-transformers folder declares, or mean pooling."""
    modules = read_json(folder / "modules.json")
    for module in modules if isinstance(modules, list) else []:
        if isinstance(module, dict) and module.get("type") == POOLING_MODULE:
            config = read_json(folder / str(module.get("path", "")) / "config.json") or {}
            for mode in POOLING_MODES:
                if config.get(f"pooling_mode_{mode}_token") or config.get(f"pooling_mode_{mode}_tokens"):
                    return mode
    return "mean"


def max_sequence_length(folder: Path) -> int | None:
    """sentence-transformers' `max_seq_length`: the length the model was trained on."""
    config = read_json(folder / "sentence_bert_config.json")
    value = config.get("max_seq_length") if isinstance(config, dict) else None
    return value if isinstance(value, int) and value > 0 else None


class FeatureExtractionAdapter(Adapter[dict[str, np.ndarray]]):
    max_batch_size = 32

    def setup(self) -> None:
        folder = Path(self.spec.options["path"])
        self.pooling = pooling_mode(folder)
        limit = model_max_length(self.processor, self.config)
        self.max_length = min(limit, max_sequence_length(folder) or limit)

    def preprocess(self, batch: list[Any]) -> dict[str, np.ndarray]:
        encoded = self.processor(
            [item.input for item in batch],
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="np",
        )
        return dict(encoded)

    def forward(self, prepared: dict[str, np.ndarray]) -> np.ndarray:
        return self.backend.forward(prepared)["last_hidden_state"]

    def postprocess(
        self, raw: np.ndarray, prepared: dict[str, np.ndarray], batch: list[Any]
    ) -> list[FeatureExtractionOutput]:
        vectors = pool(raw.astype(np.float32), prepared["attention_mask"], self.pooling)
        return embedding_outputs(vectors, [item.normalize for item in batch])
