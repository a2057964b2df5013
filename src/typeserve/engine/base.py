"""The Engine interface: how the API layer asks for inference without knowing whether models
run in this process, in worker processes or on a Ray cluster."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.tiers import Tier


@dataclass(frozen=True)
class InferenceResult:
    outputs: list[BaseModel]
    tier: Tier
    queue_ms: float
    inference_ms: float


@dataclass(frozen=True)
class ModelState:
    loaded: bool
    tiers: tuple[str, ...] = ()
    load_seconds: float | None = None
    # Growth of the resident set while the model loaded (an estimate of its memory).
    memory_bytes: int | None = None
    # True when the model runs in worker processes rather than in the server process.
    isolated: bool = False
    error: str | None = None
    # Where each loaded tier really computes, as the replica reports it (e.g. "cuda:0 (NVIDIA H200)");
    # None where the engine knows only the tier's device.
    devices: dict[str, str] | None = None


class Engine(ABC):
    async def start(self) -> None:  # noqa: B027 - optional hook
        """Prepare to serve (e.g. preload)."""

    async def stop(self) -> None:  # noqa: B027 - optional hook
        """Finish in-flight work and release models."""

    def has_gpu(self) -> bool:
        """Whether this engine can serve gpuflex at all (a GPU here, or in the cluster)."""
        from typeserve.engine.tiers import gpu_available

        return gpu_available()

    @abstractmethod
    async def infer(self, spec: ModelSpec, tier: Tier, items: list[Any]) -> InferenceResult:
        """One output per item, in order."""

    @abstractmethod
    async def load(self, spec: ModelSpec, tier: Tier) -> None:
        """Load a model now rather than on first use."""

    @abstractmethod
    async def unload(self, model_id: str) -> bool:
        """Release a model from every tier; False if it was not loaded."""

    @abstractmethod
    def state(self, model_id: str) -> ModelState:
        """Loaded or not, and how long loading took."""
