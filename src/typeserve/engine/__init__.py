"""Scheduling: how requests meet models (tiers, batching, pools)."""

from typeserve.engine.base import Engine, InferenceResult, ModelState
from typeserve.engine.local import LocalEngine
from typeserve.engine.tiers import Tier

__all__ = ["Engine", "InferenceResult", "LocalEngine", "ModelState", "Tier"]
