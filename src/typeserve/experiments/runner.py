"""Running experiments: each model in turn over every dataset row not yet answered, a few
rows in flight at once so the engine can batch them, through the same validation, media
decoding, tiers and engine as an API call. Each row's answer is stored as soon as it is
known and metered as usage of the user who started the experiment.

A runner claims an experiment before running it (see ExperimentStore.claim), shows life with
a heartbeat after every row, hands unfinished runs back when it stops, and on start (and
every few seconds) claims runs that nobody is running: a restarted server resumes them."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from typeserve.accounts.usage import Usage, UsageRecorder
from typeserve.api.body import validate_model
from typeserve.catalog import Catalog
from typeserve.catalog.spec import ModelSpec
from typeserve.config import Settings
from typeserve.engine import Engine
from typeserve.engine.tiers import Tier, resolve_tier
from typeserve.errors import Problem
from typeserve.experiments.answers import split_row
from typeserve.experiments.datasets import ROW_ERROR_KEY
from typeserve.experiments.store import ExperimentStore, RowResult
from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.base import ModelType
from typeserve.modeltypes.media import MediaLimits
from typeserve.modeltypes.prepare import DEFAULT_SAMPLE_RATE, prepare_items
from typeserve.store.tables import Experiment, utcnow

log = logging.getLogger("typeserve.experiments")

RowListener = Callable[[str, RowResult], None]


class RunStopped(Exception):
    """The run must stop: cancelled, or another runner owns it now."""


def runner_identity() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class ModelPlan:
    model_id: str
    spec: ModelSpec | None
    tier: Tier
    problem: Problem | None = None


class ExperimentRunner:
    def __init__(
        self,
        store: ExperimentStore,
        engine: Engine,
        catalog: Catalog,
        settings: Settings,
        media_limits: MediaLimits,
        usage: UsageRecorder | None = None,
        sweep_interval_s: float = 5.0,
    ) -> None:
        self.store = store
        self.engine = engine
        self.catalog = catalog
        self.settings = settings
        self.media_limits = media_limits
        self.usage = usage
        self.owner = runner_identity()
        self.sweep_interval_s = sweep_interval_s
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.listeners: list[RowListener] = []
        self._sweeper: asyncio.Task[None] | None = None

    # Lifecycle (the server's)

    async def start(self) -> None:
        await self.sweep()
        self._sweeper = asyncio.create_task(self._sweep_forever())

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_interval_s)
            try:
                await self.sweep()
            except Exception:
                log.exception("looking for experiments to resume failed")

    async def sweep(self) -> None:
        """Claim and run every active experiment that no live runner owns."""
        for experiment_id in await asyncio.to_thread(
            self.store.claimable, self.owner, self.settings.experiment_stale_s
        ):
            await self.submit(experiment_id)

    async def submit(self, experiment_id: str) -> bool:
        if experiment_id in self.tasks:
            return True
        claimed = await asyncio.to_thread(self.store.claim, experiment_id, self.owner, self.settings.experiment_stale_s)
        if not claimed:
            return False
        task = asyncio.create_task(self.run(experiment_id), name=f"experiment {experiment_id}")
        self.tasks[experiment_id] = task
        task.add_done_callback(lambda _: self.tasks.pop(experiment_id, None))
        return True

    async def cancel(self, experiment_id: str) -> bool:
        """Cancel an active experiment (run here or by another process); False if finished."""
        cancelled = await asyncio.to_thread(self.store.finish, experiment_id, "cancelled")
        task = self.tasks.get(experiment_id)
        if task is not None:
            task.cancel()
        return cancelled

    async def stop(self) -> None:
        """Stop running; unfinished runs go back to the store for the next runner to resume."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        running = list(self.tasks.items())
        for _, task in running:
            task.cancel()
        await asyncio.gather(*(task for _, task in running), return_exceptions=True)
        for experiment_id, _ in running:
            await asyncio.to_thread(self.store.release, experiment_id, self.owner)

    # One run

    async def run(self, experiment_id: str) -> None:
        """Run (or resume) a claimed experiment to the end."""
        experiment = await asyncio.to_thread(self.store.get, experiment_id)
        if experiment is None:
            return
        try:
            await self._run(experiment)
        except RunStopped:
            log.info("experiment %s stopped", experiment_id)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("experiment %s failed", experiment_id)
            await asyncio.to_thread(self.store.finish, experiment_id, "failed", f"{type(exc).__name__}: {exc}")

    async def _run(self, experiment: Experiment) -> None:
        resumed = experiment.started_at is not None
        await asyncio.to_thread(self.store.mark_running, experiment.id, self.owner, resumed)
        if resumed:
            log.info("resuming experiment %s", experiment.id)
        rows = await asyncio.to_thread(self.store.dataset_rows, experiment.dataset_id)
        model_type = get_model_type(experiment.type)
        for model_id in experiment.models:
            done = await asyncio.to_thread(self.store.done_rows, experiment.id, model_id)
            pending = [index for index in range(len(rows)) if index not in done]
            if pending:
                await self._run_model(experiment, model_type, self.plan(model_id, experiment.tier), rows, pending)
        await asyncio.to_thread(self.store.finish, experiment.id, "completed", None, self.owner)

    def plan(self, model_id: str, tier_name: str) -> ModelPlan:
        """The spec and tier for a model; a model gone from the catalog fails its rows."""
        try:
            spec = self.catalog.get(model_id)
            tier = resolve_tier(
                Tier(tier_name),
                has_gpu=self.engine.has_gpu(),
                fallback=self.settings.gpuflex_fallback,
                model_tiers=spec.serving.tiers,
            )
        except Problem as problem:
            return ModelPlan(model_id, spec=None, tier=Tier(tier_name), problem=problem)
        return ModelPlan(model_id, spec=spec, tier=tier)

    async def _run_model(
        self,
        experiment: Experiment,
        model_type: ModelType,
        plan: ModelPlan,
        rows: list[dict[str, Any]],
        pending: list[int],
    ) -> None:
        in_flight = asyncio.Semaphore(max(1, self.settings.experiment_parallel_rows))
        if plan.spec is not None and plan.problem is None:
            # Load before timing: latency compares serving, not a cold start's loading.
            try:
                await self.engine.load(plan.spec, plan.tier)
            except Problem as problem:
                plan.problem = problem
            except Exception as exc:
                plan.problem = Problem(503, "model_unavailable", "Model unavailable", f"{plan.model_id}: {exc}")

        async def one(index: int) -> None:
            async with in_flight:
                result = await self.run_row(experiment, model_type, plan, rows[index], index)
                await asyncio.to_thread(self.store.record_row, experiment.id, result)
                for listener in self.listeners:
                    listener(experiment.id, result)
                if not await asyncio.to_thread(self.store.heartbeat, experiment.id, self.owner):
                    raise RunStopped

        try:
            async with asyncio.TaskGroup() as group:
                for index in pending:
                    group.create_task(one(index))
        except* RunStopped:
            raise RunStopped from None
        log.debug("experiment %s: %s done", experiment.id, plan.model_id)

    async def run_row(
        self, experiment: Experiment, model_type: ModelType, plan: ModelPlan, row: dict[str, Any], index: int
    ) -> RowResult:
        model_id = plan.model_id
        started_at = utcnow()
        started = time.perf_counter()
        output: dict[str, Any] | None = None
        error: str | None = None
        status = 200
        served_tier: str | None = None
        queue_ms = inference_ms = None
        try:
            if plan.problem is not None or plan.spec is None:
                raise plan.problem or Problem(500, "internal_error", "No model")
            if ROW_ERROR_KEY in row:
                raise Problem(400, "bad_row", "Bad row", str(row[ROW_ERROR_KEY]))
            payload, _expected = split_row(experiment.type, row)
            validated = validate_model(model_type.Input, payload)
            rate = plan.spec.sample_rate or DEFAULT_SAMPLE_RATE
            items, is_list = await prepare_items(model_type, validated, self.media_limits, rate)
            if is_list:
                raise Problem(422, "validation_failed", "Bad row", "input: a row holds one input, not a list")
            result = await self.engine.infer(plan.spec, plan.tier, items)
            output = result.outputs[0].model_dump(mode="json", exclude_none=True)
            served_tier = result.tier.value
            queue_ms, inference_ms = result.queue_ms, result.inference_ms
        except Problem as problem:
            status = problem.status
            error = f"{problem.code}: {problem.detail}"
        except Exception as exc:  # a model's own failure is this row's error, not the run's
            log.warning("experiment %s row %d on %s failed: %s", experiment.id, index, model_id, exc)
            status = 500
            error = f"internal_error: {type(exc).__name__}: {exc}"
        latency_ms = (time.perf_counter() - started) * 1000
        if self.usage is not None and plan.spec is not None:
            self.usage.record(
                Usage(
                    model_id=model_id,
                    tier=served_tier or plan.tier.value,
                    status=status,
                    duration_ms=latency_ms,
                    key_id=experiment.key_id,
                    user_id=experiment.user_id,
                    items=1,
                    request_id=experiment.id,
                )
            )
        return RowResult(
            model_id=model_id,
            row_index=index,
            output=output,
            error=error,
            error_status=status if error else None,
            tier=served_tier,
            latency_ms=latency_ms,
            queue_ms=queue_ms,
            inference_ms=inference_ms,
            started_at=started_at,
            finished_at=utcnow(),
        )


def runner_for_services(services: Any) -> ExperimentRunner:
    """The server's runner, on the server's engine, catalog, database and usage meter."""
    return ExperimentRunner(
        ExperimentStore(services.db),
        services.engine,
        services.catalog,
        services.settings,
        services.media_limits,
        services.usage,
    )
