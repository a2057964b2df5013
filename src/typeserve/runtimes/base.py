"""The runtime contract. A runtime turns a catalog entry into a loaded model; a loaded model
maps a batch of a type's items to a batch of the type's Outputs. Batching, queues and
timeouts are the engine's job, never a runtime's."""

from __future__ import annotations

import importlib.util
import shutil
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from typeserve.catalog.spec import ModelSpec


class LoadedModel(ABC):
    """A model in memory, ready to predict."""

    # How many items the model takes well in one call.
    max_batch_size: int = 1

    @abstractmethod
    def predict(self, batch: list[Any]) -> Sequence[BaseModel]:
        """One Output per item, in order. Raise `Problem` for a per-request failure."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what `load` acquired."""


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str | None = None
    install: str | None = None


def check_requirements(spec: ModelSpec) -> Availability:
    """Is everything the spec needs installed? Cheap: nothing is imported."""
    missing: list[str] = []
    for module in spec.requires.python:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(f"Python module {module!r}")
    missing += [f"command {c!r}" for c in spec.requires.commands if shutil.which(c) is None]
    missing += [f"file {f}" for f in spec.requires.files if not Path(f).exists()]
    if missing:
        return Availability(False, "Not installed: " + ", ".join(missing) + ".", spec.requires.install)
    return Availability(True)


class Runtime(ABC):
    """How one framework's models become typed models."""

    name: str

    def availability(self, spec: ModelSpec) -> Availability:
        return check_requirements(spec)

    @abstractmethod
    def load(self, spec: ModelSpec, device: str) -> LoadedModel:
        """Load the model onto `device` ("cpu" or "cuda")."""
