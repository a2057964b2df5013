"""What every packaged sentence-embedding model shares: texts in, one vector per text out,
as the feature-extraction Output (unit length unless the request says `normalize: false`).
A model family only says how it encodes a list of texts (`encode`)."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

import numpy as np

from typeserve.modeltypes.feature_extraction import FeatureExtractionOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.embeddings import embedding_outputs, unit_rows


class SentenceEmbedder(LoadedModel):
    """A feature-extraction model; also the encoder of the similarity zero-shot classifier."""

    max_batch_size = 32
    # Models whose vectors always come out unit length cannot honour `normalize: false`.
    always_normalized = False

    @abstractmethod
    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text, as the model makes it (not necessarily unit length)."""

    def unit_vectors(self, texts: list[str]) -> np.ndarray:
        vectors = self.encode(texts)
        return vectors if self.always_normalized else unit_rows(vectors)

    def predict(self, batch: list[Any]) -> list[FeatureExtractionOutput]:
        vectors = self.encode([item.input for item in batch])
        return embedding_outputs(vectors, [item.normalize and not self.always_normalized for item in batch])
