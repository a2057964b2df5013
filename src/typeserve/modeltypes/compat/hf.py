"""Hugging Face's task API for one type: the HF task name, where HF's `inputs` go in the
type's Input, what each HF parameter becomes, and the answer in HF's shape. A parameter the
type does not map is refused with a 422 naming it, so that a client never gets an answer
computed without what it asked for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from typeserve.errors import validation_failed
from typeserve.modeltypes.compat.answers import media_ref

HfInputs = Callable[[Any], dict[str, Any]]
HfAnswer = Callable[[dict[str, Any], dict[str, Any]], Any]


@dataclass(frozen=True)
class HfParameter:
    """What one HF parameter does here: set a field of the type's Input (`field`, with
    `convert` applied to the value), or nothing (`field=None`: the answer is already what the
    parameter asks for). `values`, when given, are the only values accepted."""

    field: str | None = None
    convert: Callable[[Any], Any] | None = None
    values: tuple[Any, ...] | None = None


def sets(
    field_name: str, convert: Callable[[Any], Any] | None = None, values: tuple[Any, ...] | None = None
) -> HfParameter:
    return HfParameter(field_name, convert, values)


IGNORED = HfParameter()  # accepted; changes nothing typeserve answers


def only(*values: Any) -> HfParameter:
    """Accepted with the values that describe what typeserve does anyway (e.g. a default)."""
    return HfParameter(values=values)


@dataclass(frozen=True)
class HfTask:
    task: str  # HF's pipeline tag, e.g. "text-classification"
    inputs: HfInputs  # HF's `inputs` -> fields of the type's Input
    answer: HfAnswer  # (one Output, the HF parameters) -> HF's answer for that input
    parameters: Mapping[str, HfParameter] = field(default_factory=dict)
    # HF answers a single input inside a list: `[[{label, score}]]`, `[{summary_text}]`.
    wrap_single: bool = False


def invalid(name: str, message: str) -> Exception:
    return validation_failed([{"loc": (name,), "msg": message}])


def flattened(parameters: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"generate_parameters": {"max_length": 5}}` -> `{"generate_parameters.max_length": 5}`;
    a null value is a parameter not given (HF's clients send none, other clients may)."""
    flat: dict[str, Any] = {}
    for name, value in parameters.items():
        if isinstance(value, Mapping):
            flat.update(flattened(value, f"{prefix}{name}."))
        elif value is not None:
            flat[f"{prefix}{name}"] = value
    return flat


def input_fields(task: HfTask, inputs: Any, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The type's Input payload for HF's `inputs` and `parameters`, or a 422 naming every
    parameter that would change the answer and has no equivalent here."""
    payload = task.inputs(inputs)
    refused: list[dict[str, Any]] = []
    for name, value in flattened(parameters).items():
        rule = task.parameters.get(name)
        if rule is None:
            known = ", ".join(sorted(task.parameters)) or "none"
            refused.append({"loc": (f"parameters.{name}",), "msg": f"not supported here (supported: {known})"})
        elif rule.values is not None and value not in rule.values:
            allowed = ", ".join(repr(v) for v in rule.values)
            refused.append({"loc": (f"parameters.{name}",), "msg": f"only {allowed} is supported here"})
        elif rule.field is not None:
            payload[rule.field] = rule.convert(value) if rule.convert else value
    if refused:
        raise validation_failed(refused)
    return payload


def text_inputs(field_name: str = "input") -> HfInputs:
    """HF's `inputs` is the text (or a list of texts)."""

    def convert(inputs: Any) -> dict[str, Any]:
        if isinstance(inputs, str) or (isinstance(inputs, list) and all(isinstance(i, str) for i in inputs)):
            return {field_name: inputs}
        raise invalid("inputs", "a text or a list of texts")

    return convert


def object_inputs(*names: str) -> HfInputs:
    """HF's `inputs` is an object whose keys are the Input's own fields (`question`, `context`)."""

    def convert(inputs: Any) -> dict[str, Any]:
        if not isinstance(inputs, dict) or not all(name in inputs for name in names):
            raise invalid("inputs", f"an object with {', '.join(names)}")
        return {name: inputs[name] for name in names}

    return convert


def media_inputs(field_name: str) -> HfInputs:
    """HF's `inputs` is the file as base64 (or a URL); a raw body never gets here."""

    def convert(inputs: Any) -> dict[str, Any]:
        if not isinstance(inputs, str) or not inputs:
            raise invalid("inputs", "the file, base64-encoded, or its URL")
        return {field_name: media_ref(inputs)}

    return convert


def labels_answer(output: dict[str, Any], parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """`[{label, score}, ...]`, best first: the answer of every labelling type."""
    return [{"label": label["label"], "score": label["score"]} for label in output["labels"]]


def language_code(value: Any) -> Any:
    """HF language names as models spell them (`en_XX`, `fr-FR`) -> the ISO 639-1 part."""
    if isinstance(value, str) and len(value) > 2 and value[2:3] in ("_", "-"):
        return value[:2].lower()
    return value
