"""Metrics that compare models of a type against expected answers: one module per metric
family, all built on the field's established libraries. `score` picks the family for a type.

Every family takes the rows that have an expected answer: the model's output for each (None
where the row failed, which counts as a wrong answer, never as a skipped one) and the
expected answer, and returns metric name -> value (None where undefined)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typeserve.experiments.metrics import (
    classification,
    detection,
    entities,
    fill_mask,
    retrieval,
    rouge,
    speech,
    squad,
    translation,
)
from typeserve.experiments.metrics.info import MetricInfo

Family = Callable[[list[dict[str, Any] | None], list[Any]], dict[str, float | None]]


FAMILIES: dict[str, tuple[Family, tuple[MetricInfo, ...]]] = {
    "text-classification": (classification.score, classification.METRICS),
    "image-classification": (classification.score, classification.METRICS),
    "audio-classification": (classification.score, classification.METRICS),
    "fill-mask": (fill_mask.score, fill_mask.METRICS),
    "question-answering": (squad.score, squad.METRICS),
    "summarization": (rouge.score, rouge.METRICS),
    "translation": (translation.score, translation.METRICS),
    "automatic-speech-recognition": (speech.score, speech.METRICS),
    "image-object-detection": (detection.score, detection.METRICS),
    "feature-extraction": (retrieval.score, retrieval.METRICS),
    "token-classification": (entities.score, entities.METRICS),
    "zero-shot-classification": (classification.score, classification.METRICS),
}


def metric_infos(type_name: str) -> tuple[MetricInfo, ...]:
    return FAMILIES[type_name][1]


def score(type_name: str, outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    family, infos = FAMILIES[type_name]
    if not expected:
        return {info.name: None for info in infos}
    return family(outputs, expected)


__all__ = ["FAMILIES", "MetricInfo", "metric_infos", "score"]
