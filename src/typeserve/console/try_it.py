"""The Try it form of a model card, derived from the model type alone: which main inputs it
takes (text, question and context, or an image or audio file), which further required fields
(zero-shot labels) and optional fields (numbers, texts, choices, lists of texts), and how the
answer is drawn (the type's `TryItView`, which try_it.js reads)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from typeserve.console.signatures import option_kind
from typeserve.modeltypes.base import ModelType

MAIN_FIELDS = {"input", "question", "context", "imageRef", "audioRef", "Bytes", "URL"}


@dataclass(frozen=True)
class OptionField:
    name: str
    kind: str  # integer, number, string, boolean or list (of texts, typed comma-separated)
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    value: str = ""


@dataclass(frozen=True)
class TryItForm:
    mode: str  # text, qa, image or audio
    view: dict[str, str] = field(default_factory=dict)
    text: str = ""
    question: str = ""
    context: str = ""
    options: list[OptionField] = field(default_factory=list)

    @property
    def required_fields(self) -> list[OptionField]:
        return [o for o in self.options if o.required]

    @property
    def optional_fields(self) -> list[OptionField]:
        return [o for o in self.options if not o.required]


def _bounds(schema: dict[str, Any]) -> tuple[float | None, float | None]:
    for option in schema.get("anyOf", [schema]):
        if option.get("type") in ("integer", "number"):
            return option.get("minimum"), option.get("maximum")
    return None, None


def _choices(schema: dict[str, Any], kind: str) -> tuple[str, ...]:
    if kind == "boolean":
        return ("true", "false")
    for option in schema.get("anyOf", [schema]):
        if "enum" in option:
            return tuple(str(value) for value in option["enum"])
    return ()


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def option_fields(model_type: ModelType, example: dict[str, Any] | None = None) -> list[OptionField]:
    schema = model_type.input_schema()
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    # A file is sent raw, so its options travel in the query string: only those the type allows.
    allowed = set(model_type.query_options) if model_type.media != "text" else set(properties)
    fields = []
    for name, prop in properties.items():
        kind = option_kind(prop)
        if name in MAIN_FIELDS or name not in allowed or kind is None:
            continue
        low, high = _bounds(prop)
        needed = name in required
        value = _shown((example or {}).get(name)) if needed else ""
        description = str(prop.get("description", ""))
        fields.append(OptionField(name, kind, description, low, high, _choices(prop, kind), needed, value))
    return fields


def try_it_form(model_type: ModelType, example: dict[str, Any] | None = None) -> TryItForm:
    example = example or model_type.example_input
    options = option_fields(model_type, example)
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
