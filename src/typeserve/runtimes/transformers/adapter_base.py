"""The shape every type adapter has: `preprocess` (items to named arrays), `forward` (the
backend) and `postprocess` (raw arrays to the type's Output), plus the numeric helpers they
share. One subclass per type lives next to this module."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import numpy as np
from pydantic import BaseModel

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import ranked_labels, softmax
from typeserve.runtimes.transformers.backend import Backend

Prepared = TypeVar("Prepared")


class Adapter(LoadedModel, ABC, Generic[Prepared]):
    """A transformers checkpoint of one type, on one backend (torch or ONNX)."""

    max_batch_size = 16

    def __init__(self, spec: ModelSpec, backend: Backend, processor: Any, config: Any) -> None:
        self.spec = spec
        self.backend = backend
        self.processor = processor
        self.config = config
        self.setup()

    def setup(self) -> None:
        """Derive what the adapter needs from the processor and config, once, at load."""

    @abstractmethod
    def preprocess(self, batch: list[Any]) -> Prepared:
        """Turn a batch of items into the backend's inputs (and what postprocess needs)."""

    @abstractmethod
    def forward(self, prepared: Prepared) -> Any:
        """Run the backend on the prepared inputs."""

    @abstractmethod
    def postprocess(self, raw: Any, prepared: Prepared, batch: list[Any]) -> Sequence[BaseModel]:
        """Turn the backend's raw outputs into one Output per item."""

    def predict(self, batch: list[Any]) -> Sequence[BaseModel]:
        prepared = self.preprocess(batch)
        return self.postprocess(self.forward(prepared), prepared, batch)

    def close(self) -> None:
        self.backend.close()


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-logits)))


def class_probabilities(logits: np.ndarray, config: Any) -> np.ndarray:
    """Scores in [0, 1]: independent sigmoids for multi-label heads, a softmax otherwise."""
    if getattr(config, "problem_type", None) == "multi_label_classification" or logits.shape[-1] == 1:
        return sigmoid(logits)
    return softmax(logits)


def label_name(config: Any, index: int) -> str:
    id2label = getattr(config, "id2label", None) or {}
    return str(id2label.get(index, id2label.get(str(index), f"LABEL_{index}")))


def config_labels(scores: np.ndarray, config: Any, top_k: int | None) -> LabelsOutput:
    """Class scores as labels, named by the checkpoint's config."""
    return ranked_labels(scores, [label_name(config, i) for i in range(len(scores))], top_k)


def model_max_length(tokenizer: Any, config: Any, ceiling: int = 512) -> int:
    """The longest input both the tokenizer and the position embeddings take."""
    limits = [ceiling]
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < 1_000_000:
        limits.append(tokenizer_limit)
    for name in ("max_position_embeddings", "n_positions"):
        positions = getattr(config, name, None)
        if isinstance(positions, int) and positions > 0:
            # RoBERTa-style models offset positions by the padding index.
            offset = 2 if getattr(config, "model_type", "") in ("roberta", "xlm-roberta", "camembert") else 0
            limits.append(positions - offset)
    return min(limits)
