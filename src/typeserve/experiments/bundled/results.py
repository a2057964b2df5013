"""The measured quality of catalog models, as `typeserve eval` last wrote it (results.json):
read by the default catalog for its model cards, written by `evaluate.py`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

RESULTS_FILE = Path(__file__).parent / "results.json"


@cache
def measured_quality() -> dict[str, list[dict[str, Any]]]:
    """Model id -> its figures (`metric`, `value`, `dataset`, `note`), as on a model card."""
    if not RESULTS_FILE.exists():
        return {}
    document = json.loads(RESULTS_FILE.read_text("utf-8"))
    return {model_id: list(figures) for model_id, figures in document.get("models", {}).items()}


def write_results(figures: dict[str, list[dict[str, Any]]], path: Path = RESULTS_FILE) -> None:
    """Replace the figures of the models given, keeping the others'."""
    current = json.loads(path.read_text("utf-8")).get("models", {}) if path.exists() else {}
    current.update(figures)
    document = {
        "note": "Written by `typeserve eval` (experiments/bundled); do not edit by hand.",
        "models": dict(sorted(current.items())),
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    measured_quality.cache_clear()
