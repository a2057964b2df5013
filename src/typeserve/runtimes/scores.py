"""A model's scores as the types' outputs, for every runtime: one softmax, one clamp into
[0, 1] (float rounding can leave a probability a hair outside), and one ranking of scores
into `LabelsOutput` (best first, ties in the model's order, cut to `topK`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from typeserve.modeltypes.base import Label, LabelsOutput


def clamp01(value: float) -> float:
    return min(1.0, max(0.0, float(value)))


def softmax(logits: np.ndarray, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    shifted = (logits - np.max(logits, axis=axis, keepdims=True)) / temperature
    exp = np.exp(shifted)
    return np.asarray(exp / np.sum(exp, axis=axis, keepdims=True))


def ranked_labels(scores: np.ndarray, names: Sequence[str], top_k: int | None) -> LabelsOutput:
    """Labels for a score vector aligned with `names`; only the `top_k` best are kept."""
    order = np.argsort(-np.asarray(scores), kind="stable")[: top_k or None]
    return LabelsOutput(labels=[Label(label=names[i], score=clamp01(scores[i])) for i in order])


def ranked_pairs(pairs: Iterable[tuple[str, float]] | Mapping[str, float], top_k: int | None) -> LabelsOutput:
    """Labels for (label, score) pairs (or a mapping of them)."""
    items = list(pairs.items() if isinstance(pairs, Mapping) else pairs)
    return ranked_labels(np.array([score for _, score in items], dtype=np.float64), [n for n, _ in items], top_k)
