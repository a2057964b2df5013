"""Catalog entries for the test predictors of tests/support/predictors.py."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def predictor_spec(model_id: str, cls: str, **serving: object) -> dict[str, object]:
    options = serving.pop("options", {})
    return {
        "id": model_id,
        "type": "text-classification",
        "runtime": "python",
        "entrypoint": f"tests.support.predictors:{cls}",
        "title": cls,
        "options": {"path": str(REPO), **options},  # type: ignore[dict-item]
        "serving": serving,
    }
