"""Per type: which row fields hold the expected answer, and how a model's output reads as the
prediction those answers are compared with (and shown side by side in results)."""

from __future__ import annotations

import json
from typing import Any

# The field of a dataset row that holds the expected answer, per model type.
EXPECTED_FIELDS: dict[str, str] = {
    "text-classification": "label",
    "image-classification": "label",
    "audio-classification": "label",
    "fill-mask": "token",
    "question-answering": "answer",
    "summarization": "summary",
    "translation": "translation",
    "automatic-speech-recognition": "text",
    "image-object-detection": "boxes",
    # Rows with the same `pair` value belong together (metrics/retrieval.py).
    "feature-extraction": "pair",
    "token-classification": "entities",
    "zero-shot-classification": "label",
}

# Row fields that are neither input nor expected answer.
ROW_ID_FIELD = "id"


def expected_field(type_name: str) -> str:
    return EXPECTED_FIELDS[type_name]


def split_row(type_name: str, row: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """(the type's Input payload, the expected answer or None)."""
    field = expected_field(type_name)
    payload = {k: v for k, v in row.items() if k not in (field, ROW_ID_FIELD)}
    return payload, row.get(field)


def prediction(type_name: str, output: dict[str, Any] | None) -> Any:
    """The part of an output that is compared with the expected answer."""
    if output is None:
        return None
    if type_name in ("text-classification", "image-classification", "audio-classification", "zero-shot-classification"):
        labels = output.get("labels") or []
        return labels[0]["label"] if labels else None
    if type_name == "fill-mask":
        predictions = output.get("predictions") or []
        return predictions[0]["token"] if predictions else None
    if type_name == "question-answering":
        answers = output.get("answers") or []
        return answers[0]["answer"] if answers else None
    if type_name == "summarization":
        return output.get("summary")
    if type_name == "translation":
        return output.get("translation")
    if type_name == "automatic-speech-recognition":
        return output.get("text")
    if type_name == "image-object-detection":
        return output.get("detections") or []
    if type_name == "token-classification":
        return output.get("entities") or []
    if type_name == "feature-extraction":
        return {"dimensions": output.get("dimensions")}  # the vector itself is too long to show
    return output


def as_cell(value: Any) -> str:
    """A value as one CSV cell: strings as they are, anything else as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def input_summary(payload: dict[str, Any]) -> dict[str, Any]:
    """A row's input for display: text fields as they are, base64 media as its size only
    (results must not echo megabytes of base64 back)."""

    def shorten(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: shorten_field(k, v) for k, v in value.items()}
        return value

    def shorten_field(key: str, value: Any) -> Any:
        if key == "Bytes" and isinstance(value, str):
            return f"<base64, {len(value) * 3 // 4} bytes>"
        return shorten(value)

    return {k: shorten_field(k, v) for k, v in payload.items()}
