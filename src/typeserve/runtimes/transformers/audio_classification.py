"""audio-classification on an audio-classification head (Wav2Vec2, HuBERT, AST, ...): the
feature extractor pads the clips of a batch, one forward pass, softmax, labels from
`id2label`."""

from __future__ import annotations

from typing import Any

import numpy as np

from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.transformers.adapter_base import Adapter, class_probabilities, config_labels
from typeserve.runtimes.transformers.audio import extract_features

DEFAULT_TOP_K = 5


class AudioClassificationAdapter(Adapter[dict[str, np.ndarray]]):
    max_batch_size = 8

    def preprocess(self, batch: list[Any]) -> dict[str, np.ndarray]:
        return extract_features(self.processor, [item.samples for item in batch])

    def forward(self, prepared: dict[str, np.ndarray]) -> np.ndarray:
        return self.backend.forward(prepared)["logits"]

    def postprocess(self, raw: np.ndarray, prepared: dict[str, np.ndarray], batch: list[Any]) -> list[LabelsOutput]:
        scores = class_probabilities(raw.astype(np.float64), self.config)
        return [
            config_labels(row, self.config, item.topK or DEFAULT_TOP_K) for row, item in zip(scores, batch, strict=True)
        ]
