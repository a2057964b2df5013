"""The transformers runtime: a Hugging Face checkpoint folder (registered with `typeserve
models add`) served as its type, with a PyTorch forward step on CPU or CUDA."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.base import Availability, Runtime, check_requirements

if TYPE_CHECKING:  # the adapters import numpy and more: loaded with the first model, not the server
    from typeserve.runtimes.transformers.adapter_base import Adapter
    from typeserve.runtimes.transformers.architectures import TaskHead
    from typeserve.runtimes.transformers.backend import Backend


def checkpoint_path(spec: ModelSpec) -> Path:
    from typeserve.runtimes.transformers.loading import checkpoint_path as path_of

    return path_of(spec)


class TransformersRuntime(Runtime):
    name = "transformers"

    def availability(self, spec: ModelSpec) -> Availability:
        required = check_requirements(spec)
        if required.available and not checkpoint_path(spec).is_dir():
            return Availability(False, f"The checkpoint folder {checkpoint_path(spec)} is gone.")
        return required

    def load(self, spec: ModelSpec, device: str) -> Adapter[Any]:
        from typeserve.runtimes.transformers.backend import TorchBackend
        from typeserve.runtimes.transformers.loading import load_adapter

        def torch_backend(path: Path, head: TaskHead) -> Backend:
            return TorchBackend(path, head, device)

        return load_adapter(spec, torch_backend)


__all__ = ["TransformersRuntime"]
