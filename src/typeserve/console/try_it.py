"""The Try it form of a model card, derived from the model type alone: which main inputs it
takes (text, question and context, or an image or audio file), which optional fields, and how
the answer is drawn (the type's `TryItView`, which try_it.js reads)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from typeserve.console.signatures import scalar_kind
from typeserve.modeltypes.base import ModelType

MAIN_FIELDS = {"input", "question", "context", "imageRef", "audioRef", "Bytes", "URL"}


@dataclass(frozen=True)
class OptionField:
    name: str
    kind: str  # integer, number or string
    description: str
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class TryItForm:
    mode: str  # text, qa, image or audio
    view: dict[str, str] = field(default_factory=dict)
    text: str = ""
    question: str = ""
    context: str = ""
    options: list[OptionField] = field(default_factory=list)


def _bounds(schema: dict[str, Any]) -> tuple[float | None, float | None]:
    for option in schema.get("anyOf", [schema]):
        if option.get("type") in ("integer", "number"):
            return option.get("minimum"), option.get("maximum")
    return None, None


def option_fields(model_type: ModelType) -> list[OptionField]:
    properties: dict[str, Any] = model_type.input_schema().get("properties", {})
    # A file is sent raw, so its options travel in the query string: only those the type allows.
    allowed = set(model_type.query_options) if model_type.media != "text" else set(properties)
    fields = []
    for name, schema in properties.items():
        kind = scalar_kind(schema)
        if name in MAIN_FIELDS or name not in allowed or kind is None:
            continue
        low, high = _bounds(schema)
        fields.append(OptionField(name, kind, str(schema.get("description", "")), low, high))
    return fields


def try_it_form(model_type: ModelType, example: dict[str, Any] | None = None) -> TryItForm:
    example = example or model_type.example_input
    options = option_fields(model_type)
    view = model_type.try_it.as_json()
    if model_type.media in ("image", "audio"):
        return TryItForm(mode=model_type.media, view=view, options=options)
    properties = model_type.input_schema().get("properties", {})
    if "question" in properties and "context" in properties:
        return TryItForm(
            mode="qa",
            view=view,
            question=str(example.get("question", "")),
            context=str(example.get("context", "")),
            options=options,
        )
    text = example.get("input", "")
    return TryItForm(mode="text", view=view, text=text if isinstance(text, str) else "", options=options)
