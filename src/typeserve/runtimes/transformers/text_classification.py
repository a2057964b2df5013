"""text-classification on a sequence-classification head: one padded forward pass per batch,
softmax (or sigmoid for multi-label heads) over the logits, labels from `id2label`."""

from __future__ import annotations

from typing import Any

import numpy as np

from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.transformers.adapter_base import Adapter, class_probabilities, config_labels, model_max_length


class TextClassificationAdapter(Adapter[dict[str, np.ndarray]]):
    max_batch_size = 32

    def preprocess(self, batch: list[Any]) -> dict[str, np.ndarray]:
        encoded = self.processor(
            [item.input for item in batch],
            padding=True,
            truncation=True,
            max_length=model_max_length(self.processor, self.config),
            return_tensors="np",
        )
        return dict(encoded)

    def forward(self, prepared: dict[str, np.ndarray]) -> np.ndarray:
        return self.backend.forward(prepared)["logits"]

    def postprocess(self, raw: np.ndarray, prepared: dict[str, np.ndarray], batch: list[Any]) -> list[LabelsOutput]:
        scores = class_probabilities(raw.astype(np.float64), self.config)
        return [config_labels(row, self.config, item.topK) for row, item in zip(scores, batch, strict=True)]
