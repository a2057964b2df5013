"""From what a foreign predictor returns (a Cog predictor, an MLflow pyfunc model) to the
type's Output: by convention where it is unambiguous (a string for a one-text answer, a
{label: score} mapping or a list of labelled scores for labels), else by the mapping given at
`models add` (`--output labels=predictions`: the Output's field = the answer's key)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from typeserve.runtimes.scores import ranked_pairs


class OutputMismatch(ValueError):
    """The predictor's answer does not fit the type's Output (said in one sentence)."""


def text_field(output_type: type[BaseModel]) -> str | None:
    """The one required string field of an Output (summary, text, translation), if any."""
    required = [name for name, field in output_type.model_fields.items() if field.is_required()]
    if len(required) == 1 and output_type.model_fields[required[0]].annotation is str:
        return required[0]
    return None


def is_score(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def as_labels(raw: Any) -> list[dict[str, Any]] | None:
    """Labels from the shapes predictors return; None where `raw` is none of them."""
    if isinstance(raw, str):
        return [{"label": raw, "score": 1.0}]
    if isinstance(raw, Mapping) and raw and all(is_score(v) for v in raw.values()):
        return [{"label": str(k), "score": float(v)} for k, v in raw.items()]
    if isinstance(raw, Mapping) and "label" in raw:
        return [{"label": str(raw["label"]), "score": float(raw.get("score", 1.0))}]
    if isinstance(raw, list) and raw and all(isinstance(e, Mapping) and "label" in e for e in raw):
        return [{"label": str(e["label"]), "score": float(e.get("score", 1.0))} for e in raw]
    if isinstance(raw, list) and raw and all(isinstance(e, list | tuple) and len(e) == 2 for e in raw):
        return [{"label": str(label), "score": float(score)} for label, score in raw]
    return None


def to_output(
    output_type: type[BaseModel], raw: Any, output_map: Mapping[str, str] | None = None, top_k: int | None = None
) -> BaseModel:
    """The typed Output of one answer; OutputMismatch says why it cannot be one."""
    if output_map:
        if not isinstance(raw, Mapping):
            raise OutputMismatch(f"the output mapping needs an object answer, got {type(raw).__name__}")
        missing = [source for source in output_map.values() if source not in raw]
        if missing:
            raise OutputMismatch(f"the answer has no {', '.join(missing)} (keys: {', '.join(map(str, raw))})")
        raw = {field: raw[source] for field, source in output_map.items()}
    single = text_field(output_type)
    if single is not None and isinstance(raw, str):
        raw = {single: raw}
    if "labels" in output_type.model_fields:
        labels = as_labels(raw.get("labels") if isinstance(raw, Mapping) and "labels" in raw else raw)
        if labels is not None:
            raw = ranked_pairs([(label["label"], label["score"]) for label in labels], top_k).model_dump()
    try:
        return output_type.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in exc.errors()[:3])
        raise OutputMismatch(f"the answer is not a {output_type.__name__} ({problems})") from None
