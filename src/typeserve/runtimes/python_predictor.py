"""The python runtime: a predictor class from a code checkout (e.g. a git repository) becomes
a typed model. The catalog entry names it as `entrypoint: "package.module:ClassName"`, and
`options.path` is the folder to import it from. The class is built as `Class(spec, device)`
and its `predict(batch)` returns one Output (or a plain dict of it) per item; dicts are
validated against the type's Output here, so a predictor cannot break the wire contract."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes import get_model_type
from typeserve.runtimes.base import Availability, LoadedModel, Runtime, check_requirements


def import_predictor(entrypoint: str, path: str | None) -> Any:
    module_name, _, class_name = entrypoint.partition(":")
    if not module_name or not class_name:
        raise ValueError(f"entrypoint must look like 'package.module:ClassName', got {entrypoint!r}")
    if path:
        folder = str(Path(path).resolve())
        if folder not in sys.path:
            sys.path.insert(0, folder)
    return getattr(importlib.import_module(module_name), class_name)


class PythonModel(LoadedModel):
    def __init__(self, predictor: Any, output_type: type[BaseModel], model_id: str) -> None:
        self.predictor = predictor
        self.output_type = output_type
        self.model_id = model_id
        self.max_batch_size = int(getattr(predictor, "max_batch_size", 1))

    def predict(self, batch: list[Any]) -> Sequence[BaseModel]:
        outputs = []
        for raw in self.predictor.predict(batch):
            if isinstance(raw, self.output_type):
                outputs.append(raw)
                continue
            try:
                outputs.append(self.output_type.model_validate(raw))
            except ValidationError as exc:
                raise RuntimeError(f"predictor of {self.model_id} returned an invalid output: {exc}") from None
        return outputs

    def close(self) -> None:
        close = getattr(self.predictor, "close", None)
        if callable(close):
            close()


class PythonRuntime(Runtime):
    name = "python"

    def availability(self, spec: ModelSpec) -> Availability:
        path = spec.options.get("path")
        if path and not Path(path).is_dir():
            return Availability(False, f"The predictor folder {path} does not exist.")
        return check_requirements(spec)

    def load(self, spec: ModelSpec, device: str) -> LoadedModel:
        if not spec.entrypoint:
            raise ValueError(f"python model {spec.id} needs an entrypoint 'package.module:ClassName'")
        predictor_class = import_predictor(spec.entrypoint, spec.options.get("path"))
        return PythonModel(predictor_class(spec, device), get_model_type(spec.type).Output, spec.id)
