"""Runtimes by name: how a catalog entry of a given framework is loaded."""

from __future__ import annotations

from typeserve.runtimes.base import Availability, LoadedModel, Runtime
from typeserve.runtimes.builtin import BuiltinRuntime
from typeserve.runtimes.cog import CogRuntime
from typeserve.runtimes.mlflow import MlflowRuntime
from typeserve.runtimes.onnx import OnnxRuntime
from typeserve.runtimes.python_predictor import PythonRuntime
from typeserve.runtimes.remote import RemoteRuntime
from typeserve.runtimes.transformers import TransformersRuntime

RUNTIMES: dict[str, Runtime] = {
    runtime.name: runtime
    for runtime in (
        BuiltinRuntime(),
        TransformersRuntime(),
        OnnxRuntime(),
        PythonRuntime(),
        RemoteRuntime(),
        CogRuntime(),
        MlflowRuntime(),
    )
}


def get_runtime(name: str) -> Runtime:
    if name not in RUNTIMES:
        raise KeyError(f"unknown runtime {name!r}; known: {', '.join(sorted(RUNTIMES))}")
    return RUNTIMES[name]


__all__ = ["RUNTIMES", "Availability", "LoadedModel", "Runtime", "get_runtime"]
