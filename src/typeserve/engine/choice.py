"""The engine a process serves with, chosen by settings (`TYPESERVE_ENGINE`, `--engine`)."""

from __future__ import annotations

from typeserve.config import Settings
from typeserve.engine.base import Engine
from typeserve.engine.metrics import ServingMetrics


def build_engine(settings: Settings, metrics: ServingMetrics | None = None) -> Engine:
    if settings.engine == "ray":
        from typeserve.engine.ray import RayCluster, RayEngine

        cluster = RayCluster(
            settings.ray_address,
            num_cpus=settings.ray_num_cpus,
            object_store_bytes=settings.ray_object_store_mb * 2**20,
            ship_code=settings.ray_ship_code,
        )
        return RayEngine(
            cluster,
            default_timeout_s=settings.inference_timeout_s,
            metrics=metrics,
            app_prefix=settings.ray_app_prefix,
            deploy_timeout_s=settings.ray_deploy_timeout_s,
            release_on_stop=settings.ray_release_on_stop,
        )
    from typeserve.engine.local import LocalEngine

    budget = settings.memory_budget_mb * 2**20 if settings.memory_budget_mb else None
    return LocalEngine(default_timeout_s=settings.inference_timeout_s, memory_budget_bytes=budget, metrics=metrics)
