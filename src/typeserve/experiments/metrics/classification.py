"""Accuracy and macro-F1 of the top label (text, image and audio classification), with
scikit-learn. Macro-F1 averages over the expected classes, so a model is not rewarded or
punished for labels nobody asked about; a failed row counts as a wrong prediction."""

from __future__ import annotations

from typing import Any

from typeserve.experiments.answers import prediction
from typeserve.experiments.metrics.info import MetricInfo

METRICS = (MetricInfo("accuracy", "Accuracy", True), MetricInfo("macro_f1", "Macro-F1", True))

NO_PREDICTION = ""  # what a failed row or an empty label list predicts: never a real label


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    truth = [str(label) for label in expected]
    predicted = [prediction("text-classification", output) or NO_PREDICTION for output in outputs]
    classes = sorted(set(truth))
    from sklearn.metrics import accuracy_score, f1_score  # imported on use: the server imports this module at start

    return {
        "accuracy": float(accuracy_score(truth, predicted)),
        "macro_f1": float(f1_score(truth, predicted, labels=classes, average="macro", zero_division=0)),
    }
