"""How answers read in results: a value as one CSV cell, a row's input with its media shortened.
What a row's expected answer is and which part of an output is compared with it is the
type's (`ModelType.split_row`, `ModelType.prediction`)."""

from __future__ import annotations

import json
from typing import Any


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
