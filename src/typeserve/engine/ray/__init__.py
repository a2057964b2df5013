"""The Ray Serve engine: (model, tier) pools on a Ray cluster behind the Engine interface."""

from typeserve.engine.ray.cluster import RayCluster
from typeserve.engine.ray.engine import RayEngine

__all__ = ["RayCluster", "RayEngine"]
