"""The mlflow runtime: an MLflow model folder (MLmodel with the python_function flavour),
loaded with `mlflow.pyfunc.load_model` in a worker process of its own (the engine's), called
with a DataFrame of the batch's texts under the column its signature names, and its rows
mapped to the type's Output (typed_outputs.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.base import Availability, LoadedModel, Runtime, check_requirements


def answer_rows(raw: Any, count: int) -> list[Any]:
    """One answer per input from what pyfunc models return: DataFrames (a row each, as a
    mapping), Series and arrays (an element each), lists, or a dict of columns."""
    if hasattr(raw, "to_dict") and hasattr(raw, "columns"):
        rows: list[Any] = raw.to_dict(orient="records")
    elif hasattr(raw, "tolist"):
        rows = raw.tolist()
    elif isinstance(raw, dict) and all(isinstance(v, list) and len(v) == count for v in raw.values()):
        rows = [{k: v[i] for k, v in raw.items()} for i in range(count)]
    else:
        rows = list(raw) if isinstance(raw, list | tuple) else [raw]
    if len(rows) != count:
        raise RuntimeError(f"the model answered {len(rows)} rows for {count} inputs")
    return rows


class MlflowModel(LoadedModel):
    def __init__(self, spec: ModelSpec, model: Any) -> None:
        from typeserve.modeltypes import get_model_type

        self.spec = spec
        self.model = model
        self.output_type = get_model_type(spec.type).Output
        self.input_map: dict[str, str] = spec.options["input_map"]
        self.output_map: dict[str, str] = spec.options.get("output_map") or {}
        self.max_batch_size = int(spec.options.get("max_batch_size", 32))

    def predict(self, batch: list[Any]) -> Sequence[BaseModel]:
        import pandas as pd

        from typeserve.runtimes.typed_outputs import OutputMismatch, to_output

        columns = {name: [getattr(item, field) for item in batch] for field, name in self.input_map.items()}
        frame: Any = pd.DataFrame(columns) if all(columns) else next(iter(columns.values()))
        outputs = []
        for item, raw in zip(batch, answer_rows(self.model.predict(frame), len(batch)), strict=True):
            try:
                outputs.append(to_output(self.output_type, raw, self.output_map, getattr(item, "topK", None)))
            except OutputMismatch as exc:
                raise RuntimeError(f"the MLflow model {self.spec.id} answered something unusable: {exc}") from None
        return outputs


class MlflowRuntime(Runtime):
    name = "mlflow"

    def availability(self, spec: ModelSpec) -> Availability:
        if not (Path(spec.options.get("path", "")) / "MLmodel").is_file():
            return Availability(False, f"The MLflow model folder {spec.options.get('path')} is gone.")
        return check_requirements(spec)

    def load(self, spec: ModelSpec, device: str) -> LoadedModel:
        import mlflow.pyfunc

        return MlflowModel(spec, mlflow.pyfunc.load_model(spec.options["path"]))
