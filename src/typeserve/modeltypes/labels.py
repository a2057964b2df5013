"""What the label types (text, image and audio classification) share beside `LabelsOutput`:
how it is scored (accuracy and macro-F1 of the top label, with scikit-learn) and drawn (bars).

Macro-F1 averages over the expected classes, so a model is not rewarded or punished for labels
nobody asked about; a failed row counts as a wrong prediction. An expected answer may be a list
of accepted labels (a photograph that is rightly a "tabby cat" or an "Egyptian Mau"): the first
names the class, and any of them is right."""

from __future__ import annotations

from typing import Any

from typeserve.modeltypes.base import TryItView
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, first

NO_PREDICTION = ""  # what a failed row or an empty label list predicts: never a real label
top_label = first("labels", "label")


def score_labels(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    accepted = [[str(a) for a in answer] if isinstance(answer, list) else [str(answer)] for answer in expected]
    truth = [labels[0] for labels in accepted]
    predicted = [
        labels[0] if guess in labels else guess
        for labels, guess in zip(
            accepted, [(top_label(o) if o else None) or NO_PREDICTION for o in outputs], strict=True
        )
    ]
    classes = sorted(set(truth))
    from sklearn.metrics import accuracy_score, f1_score  # imported on use: the server imports this module at start

    return {
        "accuracy": float(accuracy_score(truth, predicted)),
        "macro_f1": float(f1_score(truth, predicted, labels=classes, average="macro", zero_division=0)),
    }


LABELS_SCORING = Scoring(
    expected_field="label",
    metrics=(MetricInfo("accuracy", "Accuracy", True), MetricInfo("macro_f1", "Macro-F1", True)),
    scorer=score_labels,
    prediction=top_label,
    exact_match=True,
)
LABELS_VIEW = TryItView(picture="bars", field="labels", label="label", title="Label scores")
