"""Turning a model's class scores into the type's `LabelsOutput`: best first, cut to `topK`,
every score clamped into [0, 1] (float rounding can leave a softmax a hair outside)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from typeserve.modeltypes.base import Label, LabelsOutput


def clamp01(value: float) -> float:
    return min(1.0, max(0.0, float(value)))


def ranked_labels(scores: np.ndarray, names: Sequence[str], top_k: int | None) -> LabelsOutput:
    """Labels for a score vector aligned with `names`; only the `top_k` best are kept."""
    count = len(names) if top_k is None else min(top_k, len(names))
    # argpartition then a sort of the few kept: O(n) for 1000 ImageNet classes.
    best = np.argpartition(-scores, count - 1)[:count]
    best = best[np.argsort(-scores[best], kind="stable")]
    return LabelsOutput(labels=[Label(label=names[i], score=clamp01(scores[i])) for i in best])


def ranked_mapping(scores: Mapping[str, float], top_k: int | None) -> LabelsOutput:
    names = list(scores)
    return ranked_labels(np.array([scores[n] for n in names], dtype=np.float64), names, top_k)
