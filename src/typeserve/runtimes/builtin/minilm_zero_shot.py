"""Zero-shot classification with all-MiniLM-L6-v2 sentence embeddings (see similarity_zero_shot)."""

from __future__ import annotations

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.builtin.minilm_embeddings import MiniLMEmbeddings, minilm_folder
from typeserve.runtimes.builtin.similarity_zero_shot import SimilarityZeroShot


def load(spec: ModelSpec, device: str) -> SimilarityZeroShot:
    return SimilarityZeroShot(MiniLMEmbeddings(minilm_folder(), device))
