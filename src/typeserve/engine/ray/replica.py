"""One Ray Serve replica of one (model, tier): the model loaded in the replica's process (or in
worker processes under it, for models that may crash), behind the local engine's own batcher,
so batching, the queue bound and deadlines work inside the cluster as they do on one machine."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.batching import BatchQueue, BatchStats, Predict, as_problem
from typeserve.engine.ray.node_address import bind_replica_servers_to_node_address
from typeserve.engine.worker_process import PIPELINE_DEPTH, WorkerProcess
from typeserve.errors import Problem

log = logging.getLogger("typeserve.engine")


@dataclass(frozen=True)
class ReplicaAnswer:
    """What a replica sends back: the outputs and what the batcher measured on the way."""

    outputs: list[BaseModel]
    queue_ms: float
    inference_ms: float
    # Batches this replica finished since its previous answer (for the gateway's metrics).
    batches: list[BatchStats]


class ModelReplica:
    """The class Ray Serve runs as a deployment: `ModelReplica(spec_json, device)`."""

    def __init__(self, spec_json: str, device: str) -> None:
        from typeserve.runtimes import get_runtime

        bind_replica_servers_to_node_address()
        self.spec = ModelSpec.model_validate_json(spec_json)
        self.device = device
        self.workers: list[WorkerProcess] = []
        self.model = None
        if self.spec.serving.in_process:
            self.model = get_runtime(self.spec.runtime).load(self.spec, device)
            self.predictors: list[Predict] = [self.model.predict]
            self.max_batch = self.model.max_batch_size
        else:
            worker = WorkerProcess(self.spec, device)
            worker.start()
            self.workers = [worker]
            self.predictors = [self._worker_predictor(worker)]
            self.max_batch = worker.max_batch_size
        self.finished_batches: list[BatchStats] = []
        self.queue: BatchQueue | None = None
        self.queue_lock: asyncio.Lock | None = None
        log.info("replica of %s loaded on %s", self.spec.id, device)

    def _worker_predictor(self, worker: WorkerProcess) -> Predict:
        timeout = self.spec.serving.timeout_s or 60.0
        return lambda batch: worker.predict(batch, timeout)

    def _batch_queue(self) -> BatchQueue:
        # Made on first use: the batcher's dispatchers need the replica's running event loop.
        if self.queue is None:
            serving = self.spec.serving
            self.queue = BatchQueue(
                self.spec.id,
                self.predictors,
                max_batch_size=min(serving.max_batch_size, max(1, self.max_batch)),
                max_batch_wait_ms=serving.max_batch_wait_ms,
                max_queue=serving.max_queue,
                on_batch=lambda stats: self.finished_batches.append(stats),
                # As in the local engine: a thread past its deadline is left behind and a fresh
                # one serves the replica's next batch (a worker process is killed instead).
                abandon_overruns=not self.workers,
                pipeline_depth=PIPELINE_DEPTH if self.workers else 1,
            )
        return self.queue

    async def __call__(self, items: list[Any], timeout_s: float) -> ReplicaAnswer:
        queue = self._batch_queue()
        if self.spec.serving.inline:  # microsecond models: no queue, no thread hop
            outputs = queue.run_now(items)
            failures = [o for o in outputs if isinstance(o, BaseException)]
            if failures:
                raise failures[0]
            batches = self._drain_batches()
            return ReplicaAnswer(outputs, 0.0, batches[-1].inference_s * 1000, batches)  # type: ignore[arg-type]
        # A cancelled call (the gateway's deadline, a client gone) cancels the queued work.
        results = await queue.submit(items, timeout_s)
        return ReplicaAnswer(
            outputs=[output for output, _, _ in results],
            queue_ms=max(q for _, q, _ in results),
            inference_ms=max(i for _, _, i in results),
            batches=self._drain_batches(),
        )

    async def run_groups(self, groups: list[tuple[list[Any], float]]) -> list[ReplicaAnswer | Problem]:
        """Several requests the gateway sent together (engine/ray/coalescing.py), each with
        its own items and time left: each gets its own answer or its own problem."""
        answers = await asyncio.gather(*(self(items, timeout_s) for items, timeout_s in groups), return_exceptions=True)
        return [answer if isinstance(answer, ReplicaAnswer) else as_problem(answer, self.spec.id) for answer in answers]

    def _drain_batches(self) -> list[BatchStats]:
        drained, self.finished_batches = self.finished_batches, []
        return drained

    def device_report(self) -> str:
        """Where this replica computes: the CUDA device Ray gave it, or the CPU."""
        if self.device != "cuda":
            return "cpu"
        import torch

        index = torch.cuda.current_device()
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"

    def check_health(self) -> None:
        """Ray Serve's health probe: a replica whose worker cannot come back is replaced."""
        for worker in self.workers:
            if worker.process is not None and not worker.process.is_alive() and worker.restarts > 100:
                raise RuntimeError(f"the worker of {self.spec.id} keeps dying")

    def __del__(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.model is not None:
            try:
                self.model.close()
            except Exception:
                log.exception("closing %s failed", self.spec.id)
