"""Which of a foreign predictor's inputs takes which field of the type (Cog predictors, MLflow
models): by convention where it is unambiguous (the one string input for a text, the one
`Path` input for an image or audio, inputs named `question` and `context`), else by the
mapping given at `models add` (`--input text=prompt`), checked against what the predictor
declares. Inputs are described as `{"name", "kind", "required"}` (kind "string", "path", ...)."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.model_admin import ModelAdminError
from typeserve.modeltypes.base import ModelType

# The names a user may give on the left of --input, and the type field each stands for.
FIELD_NAMES = {
    "text": "input",
    "input": "input",
    "image": "media",
    "imageRef": "media",
    "audio": "media",
    "audioRef": "media",
    "question": "question",
    "context": "context",
}


def needed_fields(model_type: ModelType) -> list[str]:
    if model_type.media != "text":
        return ["media"]
    if "question" in model_type.Input.model_fields:
        return ["question", "context"]
    return ["input"]


def by_convention(field: str, inputs: list[dict[str, Any]]) -> str:
    kind = "path" if field == "media" else "string"
    if field in ("question", "context"):
        named = [i["name"] for i in inputs if i["name"] == field and i["kind"] == kind]
        if named:
            return field
    candidates = [i["name"] for i in inputs if i["kind"] == kind]
    if len(candidates) > 1:
        required = [i["name"] for i in inputs if i["kind"] == kind and i.get("required")]
        candidates = required if len(required) == 1 else candidates
    if len(candidates) == 1:
        return str(candidates[0])
    what = "file (Path)" if kind == "path" else "string"
    flag = "image" if field == "media" else ("text" if field == "input" else field)
    if not candidates:
        raise ModelAdminError(
            f"the predictor has no {what} input for the type's {flag}; its inputs: {describe(inputs)}"
        )
    raise ModelAdminError(
        f"the predictor has several {what} inputs ({', '.join(candidates)}); say which with --input {flag}=NAME"
    )


def describe(inputs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{i['name']} ({i['kind']})" for i in inputs) or "none"


def map_inputs(model_type: ModelType, inputs: list[dict[str, Any]], given: dict[str, str]) -> dict[str, str]:
    """Type field ("input", "media", "question", "context") -> the predictor's input name."""
    needed = needed_fields(model_type)
    mapping: dict[str, str] = {}
    for name, target in given.items():
        field = FIELD_NAMES.get(name) if name else (needed[0] if len(needed) == 1 else None)
        if field not in needed:
            raise ModelAdminError(f"--input {name}= names no field of {model_type.name} (it has {', '.join(needed)})")
        if target not in {i["name"] for i in inputs}:
            raise ModelAdminError(f"the predictor has no input {target!r}; its inputs: {describe(inputs)}")
        mapping[field] = target
    for field in needed:
        mapping.setdefault(field, by_convention(field, inputs))
    unfed = [i["name"] for i in inputs if i.get("required") and i["name"] not in mapping.values()]
    if unfed:
        raise ModelAdminError(f"the predictor's required inputs {', '.join(unfed)} have no field of {model_type.name}")
    return mapping


def check_outputs(model_type: ModelType, given: dict[str, str]) -> dict[str, str]:
    fields = model_type.Output.model_fields
    for field in given:
        if field not in fields:
            raise ModelAdminError(
                f"--output {field}= names no field of {model_type.name}'s answer ({', '.join(fields)})"
            )
    return given
