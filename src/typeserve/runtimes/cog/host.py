"""The worker side of a Cog predictor, run by the interpreter of the repository's own virtual
environment (never the server's): imports the predictor, runs `setup()` once, describes its
inputs, then answers batches of keyword arguments on the pipe that engine/worker_process.py
speaks. Only the standard library and the `cog` package are imported here.

    python host.py FD CHECKOUT predict.py:Predictor
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import os
import pathlib
import sys
import traceback
from multiprocessing.connection import Connection
from typing import Any

SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def load_predictor(checkout: str, reference: str) -> Any:
    file_name, _, class_name = reference.partition(":")
    sys.path.insert(0, checkout)
    spec = importlib.util.spec_from_file_location("predict", os.path.join(checkout, file_name))
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {file_name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["predict"] = module
    spec.loader.exec_module(module)
    return getattr(module, class_name)()


def entry_point(predictor: Any) -> Any:
    """`run` in current Cog, `predict` in the convention most repositories still follow."""
    owner = type(predictor)
    for name in ("run", "predict"):
        method = getattr(owner, name, None)
        if method is not None and getattr(method, "__module__", "").split(".")[0] != "cog":
            return getattr(predictor, name)
    raise TypeError(f"{owner.__name__} defines neither predict() nor run()")


def kind_of(annotation: Any) -> str:
    if annotation in SCALARS:
        return SCALARS[annotation]
    if isinstance(annotation, type) and issubclass(annotation, pathlib.PurePath):
        return "path"
    return getattr(annotation, "__name__", str(annotation))


def describe(method: Any) -> list[dict[str, Any]]:
    """The predictor's inputs: name, kind, whether required, default and constraints."""
    inputs = []
    for name, parameter in inspect.signature(method).parameters.items():
        default = parameter.default
        info: dict[str, Any] = {"name": name, "kind": kind_of(parameter.annotation)}
        if (
            dataclasses.is_dataclass(default)
            and not isinstance(default, type)
            and type(default).__name__ == "FieldInfo"
        ):
            fields = {k: v for k, v in dataclasses.asdict(default).items() if v is not None}
            default = fields.pop("default", inspect.Parameter.empty)
            info.update({k: v for k, v in fields.items() if k in ("description", "choices", "ge", "le")})
        info["required"] = default is inspect.Parameter.empty
        if not info["required"]:
            info["default"] = default
        inputs.append(info)
    return inputs


def plain(value: Any) -> Any:
    """An answer as plain values the parent can unpickle without Cog installed."""
    if isinstance(value, pathlib.PurePath):
        return {"file": pathlib.Path(value).read_bytes(), "name": pathlib.Path(value).name}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "__iter__") and not isinstance(value, str | bytes):
        return "".join(str(part) for part in value)  # Cog's ConcatenateIterator of text
    return value


def call(method: Any, inputs: list[dict[str, Any]], arguments: dict[str, Any]) -> Any:
    from cog import Path

    kinds = {entry["name"]: entry["kind"] for entry in inputs}
    given = {k: Path(v) if kinds.get(k) == "path" else v for k, v in arguments.items()}
    for entry in inputs:  # FieldInfo defaults are not Python defaults: pass them explicitly
        if entry["name"] not in given and not entry["required"]:
            given[entry["name"]] = entry["default"]
    return plain(method(**given))


def main() -> None:
    # The loop of worker_process._serve, written again on purpose: this interpreter has no typeserve.
    connection = Connection(int(sys.argv[1]))
    checkout, reference = sys.argv[2], sys.argv[3]
    step = "import"
    try:
        predictor = load_predictor(checkout, reference)
        step = "setup()"
        predictor.setup()
        step = "describing its inputs"
        method = entry_point(predictor)
        inputs = describe(method)
    except BaseException as exc:
        connection.send(("load_failed", f"{step} failed: {exc.__class__.__name__}: {exc}"))
        return
    connection.send(("ready", 1, {"inputs": inputs}))
    while True:
        try:
            batch = connection.recv()
        except (EOFError, OSError):
            break
        try:
            connection.send(("ok", [call(method, inputs, arguments) for arguments in batch]))
        except Exception as exc:
            connection.send(("error", f"{exc.__class__.__name__}: {exc}", traceback.format_exc()))


if __name__ == "__main__":
    main()
