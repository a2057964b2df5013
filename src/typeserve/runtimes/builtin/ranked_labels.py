"""Turns a model's (label, score) pairs into the text-classification Output: best first,
cut to `topK`, scores clamped into [0, 1] (float rounding can put a probability a hair over 1)."""

from __future__ import annotations

from collections.abc import Iterable

from typeserve.modeltypes.base import Label, LabelsOutput


def labels_output(scores: Iterable[tuple[str, float]], top_k: int | None, default_top_k: int) -> LabelsOutput:
    ranked = sorted(scores, key=lambda pair: pair[1], reverse=True)[: top_k or default_top_k]
    return LabelsOutput(labels=[Label(label=label, score=min(1.0, max(0.0, float(score)))) for label, score in ranked])
