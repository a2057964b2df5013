"""Pooling token vectors into one sentence vector, and that vector as the feature-extraction
Output: shared by the packaged embedding models and the transformers adapter, so that both
pool the way sentence-transformers does (`1_Pooling/config.json`)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import orjson

from typeserve.modeltypes.feature_extraction import FeatureExtractionOutput

PoolingMode = Literal["mean", "cls", "max", "mean_sqrt_len", "lasttoken"]
POOLING_MODES: tuple[PoolingMode, ...] = ("mean", "cls", "max", "mean_sqrt_len", "lasttoken")


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (an all-zero row stays zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    scaled: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return scaled


def pool(hidden: np.ndarray, attention_mask: np.ndarray, mode: PoolingMode = "mean") -> np.ndarray:
    """One vector per row of `hidden` (batch, tokens, dims), over the tokens the mask keeps."""
    mask = attention_mask[..., None].astype(hidden.dtype)
    counts = np.maximum(mask.sum(axis=1), 1e-9)
    if mode == "cls":
        return np.asarray(hidden[:, 0])
    if mode == "max":
        return np.asarray(np.where(mask > 0, hidden, -np.inf).max(axis=1))
    if mode == "lasttoken":
        last = np.maximum(attention_mask.sum(axis=1) - 1, 0)
        return np.asarray(hidden[np.arange(len(hidden)), last])
    summed = (hidden * mask).sum(axis=1)
    if mode == "mean_sqrt_len":
        return np.asarray(summed / np.sqrt(counts))
    return np.asarray(summed / counts)


def embedding_outputs(vectors: np.ndarray, normalize: list[bool]) -> list[FeatureExtractionOutput]:
    """Outputs for a batch of raw vectors, each unit length where its request asked for it."""
    wanted = np.array(normalize, dtype=bool)
    if wanted.any():
        vectors = np.where(wanted[:, None], unit_rows(vectors), vectors)
    # Each value as the shortest decimal that reads back as the same float32 (as OpenAI's and
    # TEI's embeddings are written), not float64's 17 digits of a float32: half the bytes on
    # the wire and nothing lost. orjson writes float32 arrays that way; reading the text back
    # gives Python floats whose repr is that decimal.
    rows: list[list[float]] = orjson.loads(orjson.dumps(vectors.astype(np.float32), option=orjson.OPT_SERIALIZE_NUMPY))
    return [FeatureExtractionOutput(embedding=row, dimensions=len(row)) for row in rows]
