"""What a typed SDK method sends and how it reads the answer, from the type's `SdkMethod`: the
wire payload (camelCase, options left out when unset, files base64-encoded) and the type's
pydantic Output model. Nothing here names a type."""

from __future__ import annotations

import base64
import inspect
import os
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from typeserve.modeltypes.base import ModelType, WireModel

OutputT = TypeVar("OutputT", bound=WireModel)
Media = str | os.PathLike[str] | bytes
# Wire fields a method never takes as an option: the raw-bytes shorthand of the audio types.
NOT_OPTIONS = {"Bytes"}


@dataclass(frozen=True)
class Call(Generic[OutputT]):
    payload: dict[str, Any]
    output: type[OutputT]

    def parse(self, body: Any) -> OutputT:
        return self.output.model_validate(body)


def media_ref(data: Media | None, url: str | None) -> dict[str, str]:
    """`{"Bytes": base64}` from a path or bytes, or `{"URL": url}`."""
    if (data is None) == (url is None):
        raise ValueError("give exactly one of a file (path or bytes) or url=")
    if url is not None:
        return {"URL": url}
    raw = data if isinstance(data, bytes) else Path(data).read_bytes()  # type: ignore[arg-type]
    return {"Bytes": base64.b64encode(raw).decode("ascii")}


def snake_case(wire_name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", wire_name).lower()


def option_fields(model_type: ModelType) -> dict[str, str]:
    """Python keyword -> wire field, for every Input field that is not a positional argument."""
    taken = set(model_type.sdk.arguments.values()) | NOT_OPTIONS
    return {snake_case(name): name for name in model_type.Input.model_fields if name not in taken}


def method_signature(model_type: ModelType) -> inspect.Signature:
    """`(self, model, <arguments>, *, [url,] <options>, tier)`, as `help()` and editors show it."""
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter("self", positional), inspect.Parameter("model", positional, annotation=str)]
    media = model_type.media != "text"
    for name in model_type.sdk.arguments:
        if media:
            parameters.append(inspect.Parameter(name, positional, default=None, annotation=Media | None))
        else:
            parameters.append(inspect.Parameter(name, positional, annotation=str))
    if media:
        parameters.append(inspect.Parameter("url", keyword, default=None, annotation=str | None))
    fields = model_type.Input.model_fields
    for python_name, wire_name in option_fields(model_type).items():
        # Every option may be left out (None): the server then applies the field's default.
        annotation: Any = fields[wire_name].annotation
        if type(None) not in typing.get_args(annotation):
            annotation = annotation | None
        parameters.append(inspect.Parameter(python_name, keyword, default=None, annotation=annotation))
    parameters.append(inspect.Parameter("tier", keyword, default=None, annotation=str | None))
    return inspect.Signature(parameters, return_annotation=model_type.Output)


def build_call(model_type: ModelType, arguments: dict[str, Any]) -> Call[Any]:
    """The call of the bound arguments of a typed method (without self, model and tier)."""
    payload: dict[str, Any] = {}
    for python_name, wire_name in model_type.sdk.arguments.items():
        value = arguments[python_name]
        payload[wire_name] = media_ref(value, arguments.get("url")) if model_type.media != "text" else value
    for python_name, wire_name in option_fields(model_type).items():
        if arguments.get(python_name) is not None:
            payload[wire_name] = arguments[python_name]
    return Call(payload, model_type.Output)
