"""image-classification on an image-classification head: the checkpoint's image processor
(the PIL/numpy one, no torchvision needed) resizes and normalizes the batch, one forward pass,
softmax over the logits, labels from `id2label`."""

from __future__ import annotations

from typing import Any

import numpy as np

from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.transformers.adapter_base import Adapter, class_probabilities, config_labels

DEFAULT_TOP_K = 5


class ImageClassificationAdapter(Adapter[dict[str, np.ndarray]]):
    max_batch_size = 16

    def preprocess(self, batch: list[Any]) -> dict[str, np.ndarray]:
        return {
            "pixel_values": np.asarray(
                self.processor(images=[item.image for item in batch], return_tensors="np")["pixel_values"],
                dtype=np.float32,
            )
        }

    def forward(self, prepared: dict[str, np.ndarray]) -> np.ndarray:
        return self.backend.forward(prepared)["logits"]

    def postprocess(self, raw: np.ndarray, prepared: dict[str, np.ndarray], batch: list[Any]) -> list[LabelsOutput]:
        scores = class_probabilities(raw.astype(np.float64), self.config)
        return [
            config_labels(row, self.config, item.topK or DEFAULT_TOP_K) for row, item in zip(scores, batch, strict=True)
        ]
