"""How a model type looks to the clients people already have: Hugging Face's task API, the
OpenAI API and the Open Inference Protocol v2. Each type declares its own mapping (request
shape, parameter names, answer shape) in its module; the compatibility routers read it from
the registry and never name a type."""

from __future__ import annotations

from dataclasses import dataclass, field

from typeserve.modeltypes.compat.answers import BinaryAnswer
from typeserve.modeltypes.compat.hf import HfParameter, HfTask
from typeserve.modeltypes.compat.openai import OpenAiEndpoint
from typeserve.modeltypes.compat.v2 import V2Output, V2Signature


@dataclass(frozen=True)
class Compatibility:
    """A type's mappings; `None`/empty where a protocol has no such task."""

    hf: HfTask | None = None
    openai: tuple[OpenAiEndpoint, ...] = field(default=())
    v2: V2Signature | None = None

    def openai_endpoint(self, path: str) -> OpenAiEndpoint | None:
        return next((endpoint for endpoint in self.openai if endpoint.path == path), None)


NO_COMPATIBILITY = Compatibility()

__all__ = [
    "NO_COMPATIBILITY",
    "BinaryAnswer",
    "Compatibility",
    "HfParameter",
    "HfTask",
    "OpenAiEndpoint",
    "V2Output",
    "V2Signature",
]
