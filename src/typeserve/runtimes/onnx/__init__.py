"""The ONNX runtime: a Hugging Face checkpoint exported to ONNX (optimum's layout) served as
its type through onnxruntime, with the transformers runtime's adapters; only the forward
step differs (CPU, or the CUDA execution provider on gpuflex)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.transformers import TransformersRuntime

if TYPE_CHECKING:
    from typeserve.runtimes.transformers.adapter_base import Adapter
    from typeserve.runtimes.transformers.architectures import TaskHead
    from typeserve.runtimes.transformers.backend import Backend


class OnnxRuntime(TransformersRuntime):
    """The same adapters and checkpoint checks as the Transformers runtime; only the forward
    step differs (onnxruntime sessions instead of torch modules)."""

    name = "onnx"

    def load(self, spec: ModelSpec, device: str) -> Adapter[Any]:
        from typeserve.runtimes.onnx.backend import OnnxBackend
        from typeserve.runtimes.transformers.loading import load_adapter

        def onnx_backend(path: Path, head: TaskHead) -> Backend:
            return OnnxBackend(path, head, device)

        return load_adapter(spec, onnx_backend)


__all__ = ["OnnxRuntime"]
