"""The local engine: one batching queue per (model, tier), fed to the model in this process
(cheap models) or to worker processes (models that may crash or hold the GIL), loaded
lazily with concurrent first callers sharing one load, and unloaded least-recently-used
first when a memory budget is exceeded."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.base import Engine, InferenceResult, ModelState
from typeserve.engine.batching import BatchQueue, Predict
from typeserve.engine.input_bounds import cheap_enough_inline
from typeserve.engine.memory import resident_bytes
from typeserve.engine.metrics import ServingMetrics
from typeserve.engine.tiers import Tier
from typeserve.engine.worker_process import PIPELINE_DEPTH, WorkerCrashed, WorkerProcess
from typeserve.errors import unavailable
from typeserve.runtimes import LoadedModel, get_runtime

log = logging.getLogger("typeserve.engine")


@dataclass
class Deployment:
    spec: ModelSpec
    tier: Tier
    queue: BatchQueue
    load_seconds: float
    memory_bytes: int
    model: LoadedModel | None = None
    workers: list[WorkerProcess] = field(default_factory=list)
    last_used: float = field(default_factory=time.monotonic)

    @property
    def inline(self) -> bool:
        return self.model is not None and self.spec.serving.inline

    @property
    def isolated(self) -> bool:
        return bool(self.workers)

    def current_memory(self) -> int:
        if self.workers:
            return sum(worker.resident_bytes() for worker in self.workers) or self.memory_bytes
        return self.memory_bytes

    async def close(self) -> None:
        await self.queue.close()
        for worker in self.workers:
            await asyncio.to_thread(worker.stop)
        if self.model is not None:
            try:
                self.model.close()
            except Exception:
                log.exception("closing %s failed", self.spec.id)


class LocalEngine(Engine):
    def __init__(
        self,
        default_timeout_s: float = 60.0,
        *,
        memory_budget_bytes: int | None = None,
        metrics: ServingMetrics | None = None,
        worker_pipeline_depth: int = PIPELINE_DEPTH,
    ) -> None:
        self.default_timeout_s = default_timeout_s
        self.worker_pipeline_depth = worker_pipeline_depth
        self.memory_budget_bytes = memory_budget_bytes
        self.metrics = metrics
        self.deployments: dict[tuple[str, Tier], Deployment] = {}
        self.load_locks: dict[tuple[str, Tier], asyncio.Lock] = {}
        self.load_errors: dict[str, str] = {}
        if metrics is not None:
            metrics.watch(self._queue_depths, self._loaded)

    def _queue_depths(self) -> Iterable[tuple[str, str, int]]:
        return [(mid, tier.value, d.queue.depth) for (mid, tier), d in list(self.deployments.items())]

    def _loaded(self) -> Iterable[tuple[str, str]]:
        return [(mid, tier.value) for mid, tier in list(self.deployments)]

    def timeout_for(self, spec: ModelSpec) -> float:
        return spec.serving.timeout_s or self.default_timeout_s

    async def _deployment(self, spec: ModelSpec, tier: Tier) -> Deployment:
        key = (spec.id, tier)
        current = self.deployments.get(key)
        if current is not None:
            if current.spec is spec or current.spec == spec:
                return current
            # The catalog entry changed (a model re-added with other files): load it afresh.
            log.info("the catalog entry of %s changed; reloading it", spec.id)
            await self.deployments.pop(key).close()
        lock = self.load_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self.deployments:
                return self.deployments[key]
            deployment = await self._load(spec, tier)
            self.deployments[key] = deployment
        await self._enforce_memory_budget(keep=key)
        return deployment

    async def _load(self, spec: ModelSpec, tier: Tier) -> Deployment:
        runtime = get_runtime(spec.runtime)
        availability = runtime.availability(spec)
        if not availability.available:
            detail = availability.reason or "Not installed."
            if availability.install:
                detail += f" Install with: {availability.install}"
            raise unavailable("model_unavailable", detail, retry_after=60)
        started = time.perf_counter()
        rss_before = resident_bytes()
        model: LoadedModel | None = None
        workers: list[WorkerProcess] = []
        try:
            if spec.serving.in_process:
                model = await asyncio.to_thread(runtime.load, spec, tier.device)
                predictors: list[Predict] = [model.predict] * spec.serving.replicas
                max_batch = model.max_batch_size
            else:
                workers = [WorkerProcess(spec, tier.device) for _ in range(spec.serving.replicas)]
                await asyncio.gather(*(asyncio.to_thread(worker.start) for worker in workers))
                predictors = [self._worker_predictor(worker, spec, tier) for worker in workers]
                max_batch = workers[0].max_batch_size
        except Exception as exc:
            for worker in workers:
                worker.stop()
            log.exception("loading %s on %s failed", spec.id, tier)
            self.load_errors[spec.id] = f"{exc.__class__.__name__}: {exc}"
            raise unavailable(
                "model_unavailable", f"Model {spec.id} could not be loaded: {exc.__class__.__name__}: {exc}", 60
            ) from None
        load_seconds = time.perf_counter() - started
        self.load_errors.pop(spec.id, None)
        queue = BatchQueue(
            spec.id,
            predictors,
            max_batch_size=min(spec.serving.max_batch_size, max(1, max_batch)),
            max_batch_wait_ms=spec.serving.max_batch_wait_ms,
            max_queue=spec.serving.max_queue,
            on_batch=self._batch_observer(spec.id, tier),
            # A thread cannot be killed: one past its deadline is left behind, a fresh one serves on.
            abandon_overruns=not workers,
            pipeline_depth=self.worker_pipeline_depth if workers else 1,
        )
        memory = sum(w.resident_bytes() for w in workers) if workers else max(0, resident_bytes() - rss_before)
        log.info("loaded %s on %s in %.2f s (%s)", spec.id, tier, load_seconds, "worker" if workers else "in process")
        return Deployment(spec, tier, queue, load_seconds, memory, model=model, workers=workers)

    def _worker_predictor(self, worker: WorkerProcess, spec: ModelSpec, tier: Tier) -> Predict:
        timeout = self.timeout_for(spec)

        def predict(batch: list[Any]) -> list[Any]:
            try:
                return worker.predict(batch, timeout)
            except WorkerCrashed:
                if self.metrics:
                    self.metrics.worker_crashes.labels(spec.id, tier.value).inc()
                raise

        return predict

    def _batch_observer(self, model_id: str, tier: Tier) -> Any:
        return self.metrics.batch_observer(model_id, tier.value) if self.metrics is not None else None

    async def _enforce_memory_budget(self, keep: tuple[str, Tier]) -> None:
        """Unload idle deployments, least recently used first, until under the budget."""
        if self.memory_budget_bytes is None:
            return
        while True:
            total = sum(d.current_memory() for d in self.deployments.values())
            if total <= self.memory_budget_bytes:
                return
            idle = [(d.last_used, key) for key, d in self.deployments.items() if key != keep and not d.queue.busy]
            if not idle:
                log.warning("memory budget exceeded (%d MB) but every other model is busy", total // 2**20)
                return
            _, victim = min(idle)
            log.info("unloading %s on %s to stay within the memory budget", *victim)
            deployment = self.deployments.pop(victim)
            await deployment.close()

    async def infer(self, spec: ModelSpec, tier: Tier, items: list[Any]) -> InferenceResult:
        started = time.perf_counter()
        deployment = await self._deployment(spec, tier)
        deployment.last_used = time.monotonic()
        load_ms = (time.perf_counter() - started) * 1000
        if deployment.inline and cheap_enough_inline(items):
            return self._infer_inline(deployment, items, load_ms)
        results = await deployment.queue.submit(items, self.timeout_for(spec))
        return InferenceResult(
            outputs=[output for output, _, _ in results],
            tier=tier,
            queue_ms=load_ms + max(q for _, q, _ in results),
            inference_ms=max(i for _, _, i in results),
        )

    def _infer_inline(self, deployment: Deployment, items: list[Any], load_ms: float) -> InferenceResult:
        """Microsecond models: called right here, on the event loop, without queue or thread."""
        started = time.perf_counter()
        outputs = deployment.queue.run_now(items)
        inference_s = time.perf_counter() - started
        failures = [o for o in outputs if isinstance(o, BaseException)]
        if failures:
            raise failures[0]
        return InferenceResult(outputs=outputs, tier=deployment.tier, queue_ms=load_ms, inference_ms=inference_s * 1000)  # type: ignore[arg-type]

    async def load(self, spec: ModelSpec, tier: Tier) -> None:
        await self._deployment(spec, tier)

    async def unload(self, model_id: str) -> bool:
        keys = [key for key in self.deployments if key[0] == model_id]
        for key in keys:
            await self.deployments.pop(key).close()
        return bool(keys)

    def state(self, model_id: str) -> ModelState:
        loaded = {tier: d for (mid, tier), d in self.deployments.items() if mid == model_id}
        if not loaded:
            return ModelState(loaded=False, error=self.load_errors.get(model_id))
        return ModelState(
            loaded=True,
            tiers=tuple(sorted(str(t) for t in loaded)),
            load_seconds=max(d.load_seconds for d in loaded.values()),
            memory_bytes=sum(d.current_memory() for d in loaded.values()),
            isolated=any(d.isolated for d in loaded.values()),
        )

    async def stop(self) -> None:
        for model_id in {mid for mid, _ in list(self.deployments)}:
            await self.unload(model_id)
