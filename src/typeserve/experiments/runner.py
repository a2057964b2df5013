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
from typeserve.catalog.spec import ModelSpec
from typeserve.config import Settings
from typeserve.engine.tiers import Tier
from typeserve.errors import Problem, bad_request, internal_error, unavailable
from typeserve.experiments.datasets import ROW_ERROR_KEY
from typeserve.experiments.store import ExperimentStore, RowResult
from typeserve.inference import Inference, Target
from typeserve.modeltypes import MODEL_TYPES
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
    target: Target | None
    tier: Tier
    problem: Problem | None = None

    @property
    def spec(self) -> ModelSpec | None:
        return self.target.spec if self.target is not None else None


class ExperimentRunner:
    def __init__(
        self,
        store: ExperimentStore,
        inference: Inference,
        settings: Settings,
        usage: UsageRecorder | None = None,
        sweep_interval_s: float = 5.0,
    ) -> None:
        self.store = store
        self.inference = inference
        self.settings = settings
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
        for model_id in experiment.models:
            done = await asyncio.to_thread(self.store.done_rows, experiment.id, model_id)
            pending = [index for index in range(len(rows)) if index not in done]
            if pending:
                await self._run_model(experiment, self.plan(model_id, experiment.tier), rows, pending)
        await asyncio.to_thread(self.store.finish, experiment.id, "completed", None, self.owner)

    def plan(self, model_id: str, tier_name: str) -> ModelPlan:
        """The spec and tier for a model; a model gone from the catalog fails its rows."""
        try:
            target = self.inference.target(model_id, Tier(tier_name))
        except Problem as problem:
            return ModelPlan(model_id, target=None, tier=Tier(tier_name), problem=problem)
        return ModelPlan(model_id, target=target, tier=target.tier)

    async def _run_model(
        self,
        experiment: Experiment,
        plan: ModelPlan,
        rows: list[dict[str, Any]],
        pending: list[int],
    ) -> None:
        in_flight = asyncio.Semaphore(max(1, self.settings.experiment_parallel_rows))
        if plan.spec is not None and plan.problem is None:
            # Load before timing: latency compares serving, not a cold start's loading.
            try:
                await self.inference.engine.load(plan.spec, plan.tier)
            except Problem as problem:
                plan.problem = problem
            except Exception as exc:
                plan.problem = unavailable("model_unavailable", f"{plan.model_id}: {exc}", title="Model unavailable")

        async def one(index: int) -> None:
            async with in_flight:
                result = await self.run_row(experiment, plan, rows[index], index)
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

    async def run_row(self, experiment: Experiment, plan: ModelPlan, row: dict[str, Any], index: int) -> RowResult:
        model_id = plan.model_id
        started_at = utcnow()
        started = time.perf_counter()
        output: dict[str, Any] | None = None
        error: str | None = None
        status = 200
        served_tier: str | None = None
        queue_ms = inference_ms = None
        try:
            if plan.problem is not None or plan.target is None:
                raise plan.problem or internal_error("No model")
            if ROW_ERROR_KEY in row:
                raise bad_request("bad_row", str(row[ROW_ERROR_KEY]), title="Bad row")
            payload, _expected = MODEL_TYPES[experiment.type].split_row(row)
            result = await self.inference.run(plan.target, payload, single=True)
            output = result.body
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
    return ExperimentRunner(ExperimentStore(services.db), services.inference, services.settings, services.usage)
