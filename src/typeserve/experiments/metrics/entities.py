"""Entity-level precision, recall and F1 of named entities, with seqeval: an entity counts only
when both its type and its exact character span match an expected one. Expected answers are
lists of `{"entity", "start", "end"}` (offsets into the row's input); both sides become IOB2
tags over the characters of the text, so that models that split words differently are
compared on the same units. A failed row predicts no entities. Run experiments with the
default aggregation: per-token entries (`aggregation: none`) are one-token entities here."""

from __future__ import annotations

from typing import Any

from typeserve.experiments.metrics.info import MetricInfo

METRICS = (
    MetricInfo("entity_f1", "Entity F1", True),
    MetricInfo("entity_precision", "Entity precision", True),
    MetricInfo("entity_recall", "Entity recall", True),
)


def spans_of(entities: Any) -> list[tuple[int, int, str]]:
    spans = []
    for entity in entities or []:
        if isinstance(entity, dict) and {"entity", "start", "end"} <= entity.keys():
            label = str(entity["entity"]).removeprefix("B-").removeprefix("I-")
            spans.append((int(entity["start"]), int(entity["end"]), label))
    return spans


def character_tags(spans: list[tuple[int, int, str]], length: int) -> list[str]:
    tags = ["O"] * length
    for start, end, label in sorted(spans):
        if start >= end or any(tag != "O" for tag in tags[start:end]):
            continue  # empty or overlapping: tags cannot say it
        tags[start] = f"B-{label}"
        for position in range(start + 1, end):
            tags[position] = f"I-{label}"
    return tags


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    truth, predicted = [], []
    for output, answer in zip(outputs, expected, strict=True):
        wanted, found = spans_of(answer), spans_of((output or {}).get("entities"))
        length = max([end for _, end, _ in wanted + found], default=0) + 1
        truth.append(character_tags(wanted, length))
        predicted.append(character_tags(found, length))
    if not any(tag != "O" for tags in truth + predicted for tag in tags):
        return {"entity_f1": None, "entity_precision": None, "entity_recall": None}
    options: dict[str, Any] = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
    return {
        "entity_f1": float(f1_score(truth, predicted, **options)),
        "entity_precision": float(precision_score(truth, predicted, **options)),
        "entity_recall": float(recall_score(truth, predicted, **options)),
    }
