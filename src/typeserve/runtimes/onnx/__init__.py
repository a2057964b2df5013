"""The ONNX runtime: a Hugging Face checkpoint exported to ONNX (optimum's layout) served as
its type through onnxruntime, with the transformers runtime's adapters; only the forward
step differs (CPU, or the CUDA execution provider on gpuflex)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.base import Availability, Runtime, check_requirements
from typeserve.runtimes.transformers.adapter import Adapter
from typeserve.runtimes.transformers.architectures import TaskHead
from typeserve.runtimes.transformers.backend import Backend
from typeserve.runtimes.transformers.loading import checkpoint_path, load_adapter


class OnnxRuntime(Runtime):
    name = "onnx"

    def availability(self, spec: ModelSpec) -> Availability:
        required = check_requirements(spec)
        if required.available and not checkpoint_path(spec).is_dir():
            return Availability(False, f"The checkpoint folder {checkpoint_path(spec)} is gone.")
        return required

    def load(self, spec: ModelSpec, device: str) -> Adapter[Any]:
        from typeserve.runtimes.onnx.backend import OnnxBackend

        def onnx_backend(path: Path, head: TaskHead) -> Backend:
            return OnnxBackend(path, head, device)

        return load_adapter(spec, onnx_backend)


__all__ = ["OnnxRuntime"]
