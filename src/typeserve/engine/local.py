"""The local engine: models run in this process, one batching queue per (model, tier),
loaded lazily on first use with concurrent first callers sharing one load."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.base import Engine, InferenceResult, ModelState
from typeserve.engine.batching import BatchQueue
from typeserve.engine.tiers import Tier
from typeserve.errors import Problem, unavailable
from typeserve.runtimes import LoadedModel, get_runtime

log = logging.getLogger("typeserve.engine")


@dataclass
class Deployment:
    model: LoadedModel
    queue: BatchQueue
    load_seconds: float
    memory_bytes: int


def resident_bytes() -> int:
    """This process's resident set size (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class LocalEngine(Engine):
    def __init__(self, default_timeout_s: float = 60.0) -> None:
        self.default_timeout_s = default_timeout_s
        self.deployments: dict[tuple[str, Tier], Deployment] = {}
        self.load_locks: dict[tuple[str, Tier], asyncio.Lock] = {}
        self.load_errors: dict[str, str] = {}

    async def _deployment(self, spec: ModelSpec, tier: Tier) -> Deployment:
        key = (spec.id, tier)
        if key in self.deployments:
            return self.deployments[key]
        lock = self.load_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self.deployments:
                return self.deployments[key]
            runtime = get_runtime(spec.runtime)
            availability = runtime.availability(spec)
            if not availability.available:
                detail = availability.reason or "Not installed."
                if availability.install:
                    detail += f" Install with: {availability.install}"
                raise unavailable("model_unavailable", detail, retry_after=60)
            started = time.perf_counter()
            rss_before = resident_bytes()
            try:
                model = await asyncio.to_thread(runtime.load, spec, tier.device)
            except Exception as exc:
                log.exception("loading %s on %s failed", spec.id, tier)
                self.load_errors[spec.id] = f"{exc.__class__.__name__}: {exc}"
                raise unavailable(
                    "model_unavailable",
                    f"Model {spec.id} could not be loaded: {exc.__class__.__name__}: {exc}",
                    60,
                ) from None
            load_seconds = time.perf_counter() - started
            self.load_errors.pop(spec.id, None)
            serving = spec.serving
            queue = BatchQueue(
                spec.id,
                model.predict,
                max_batch_size=min(serving.max_batch_size, max(1, model.max_batch_size)),
                max_batch_wait_ms=serving.max_batch_wait_ms,
                max_queue=serving.max_queue,
                replicas=serving.replicas,
            )
            memory = max(0, resident_bytes() - rss_before)
            deployment = Deployment(model=model, queue=queue, load_seconds=load_seconds, memory_bytes=memory)
            self.deployments[key] = deployment
            log.info("loaded %s on %s in %.2f s", spec.id, tier, load_seconds)
            return deployment

    async def infer(self, spec: ModelSpec, tier: Tier, items: list[Any]) -> InferenceResult:
        started = time.perf_counter()
        deployment = await self._deployment(spec, tier)
        load_ms = (time.perf_counter() - started) * 1000
        timeout = spec.serving.timeout_s or self.default_timeout_s
        results = await deployment.queue.submit(items, timeout)
        return InferenceResult(
            outputs=[output for output, _, _ in results],
            tier=tier,
            queue_ms=load_ms + max(q for _, q, _ in results),
            inference_ms=max(i for _, _, i in results),
        )

    async def load(self, spec: ModelSpec, tier: Tier) -> None:
        await self._deployment(spec, tier)

    async def unload(self, model_id: str) -> bool:
        keys = [key for key in self.deployments if key[0] == model_id]
        for key in keys:
            deployment = self.deployments.pop(key)
            await deployment.queue.close()
            try:
                deployment.model.close()
            except Exception:
                log.exception("closing %s failed", model_id)
        return bool(keys)

    def state(self, model_id: str) -> ModelState:
        loaded = {tier: d for (mid, tier), d in self.deployments.items() if mid == model_id}
        if not loaded:
            return ModelState(loaded=False, error=self.load_errors.get(model_id))
        return ModelState(
            loaded=True,
            tiers=tuple(sorted(str(t) for t in loaded)),
            load_seconds=max(d.load_seconds for d in loaded.values()),
            memory_bytes=sum(d.memory_bytes for d in loaded.values()),
        )

    async def stop(self) -> None:
        for model_id in {mid for mid, _ in list(self.deployments)}:
            await self.unload(model_id)


__all__ = ["LocalEngine", "Problem"]
