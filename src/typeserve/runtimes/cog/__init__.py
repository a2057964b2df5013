"""The cog runtime: a Cog predictor from a git repository (cog.yaml + predict.py), run by a
worker process in the repository's own virtual environment (engine/venv_worker.py), its
inputs fed from the type's fields and its answers mapped to the type's Output."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.base import Availability, LoadedModel, Runtime

HOST_SCRIPT = Path(__file__).with_name("host.py")


class CogModel(LoadedModel):
    max_batch_size = 1

    def __init__(self, spec: ModelSpec, worker: Any) -> None:
        from typeserve.modeltypes import get_model_type

        self.spec = spec
        self.worker = worker
        self.output_type = get_model_type(spec.type).Output
        self.input_map: dict[str, str] = spec.options["input_map"]
        self.output_map: dict[str, str] = spec.options.get("output_map") or {}
        self.timeout_s = spec.serving.timeout_s or 120.0

    def arguments(self, item: Any, folder: Path, index: int) -> dict[str, Any]:
        from typeserve.runtimes.media_encoding import media_file

        arguments: dict[str, Any] = {}
        for field, name in self.input_map.items():
            if field == "media":
                data, _, suffix = media_file(item)
                path = folder / f"input-{index}{suffix}"
                path.write_bytes(data)
                arguments[name] = str(path)
            else:
                arguments[name] = getattr(item, field)
        return arguments

    def predict(self, batch: list[Any]) -> Sequence[BaseModel]:
        from typeserve.runtimes.typed_outputs import OutputMismatch, to_output

        with tempfile.TemporaryDirectory(prefix="typeserve-cog-") as folder:
            calls = [self.arguments(item, Path(folder), n) for n, item in enumerate(batch)]
            answers = self.worker.predict(calls, self.timeout_s)
        outputs = []
        for item, raw in zip(batch, answers, strict=True):
            try:
                outputs.append(to_output(self.output_type, raw, self.output_map, getattr(item, "topK", None)))
            except OutputMismatch as exc:
                raise RuntimeError(f"the Cog predictor of {self.spec.id} answered something unusable: {exc}") from None
        return outputs

    def close(self) -> None:
        self.worker.stop()


def start_worker(spec: ModelSpec, python: Path, checkout: Path, predictor: str, log_file: Path) -> Any:
    """A started worker (setup() has run) of the predictor in its environment."""
    from typeserve.engine.venv_worker import VenvWorkerProcess

    worker = VenvWorkerProcess(spec, python, HOST_SCRIPT, [str(checkout), predictor], cwd=checkout, log_file=log_file)
    worker.start()
    return worker


class CogRuntime(Runtime):
    name = "cog"

    def availability(self, spec: ModelSpec) -> Availability:
        for key, what in (("python", "virtual environment"), ("checkout", "checkout")):
            if not Path(spec.options.get(key, "")).exists():
                return Availability(
                    False,
                    f"The predictor's {what} {spec.options.get(key)} is gone.",
                    install=f"typeserve models add {spec.source} --type {spec.type} --id {spec.id} --replace",
                )
        return Availability(True)

    def load(self, spec: ModelSpec, device: str) -> LoadedModel:
        options = spec.options
        checkout = Path(options["checkout"])
        worker = start_worker(spec, Path(options["python"]), checkout, options["predictor"], Path(options["log_file"]))
        return CogModel(spec, worker)
