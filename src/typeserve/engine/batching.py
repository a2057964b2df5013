"""Dynamic batching for one (model, tier): callers enqueue items and await their own future;
a dispatcher per replica takes whatever is queued (up to the model's batch size), so an idle
model answers at once and a busy one answers many callers with one predict call. A full
queue refuses at once, expired or abandoned items are dropped before they reach the model,
and one failing input fails only its own caller. Its callers' deadlines answer 504; a thread
still running a batch a whole timeout past the batch's deadline is left behind (threads
cannot be killed) and a fresh one serves the next batch, so an overrun cannot block the
requests after it for long (work queued meanwhile whose deadline passed is dropped as ever);
at most MAX_ABANDONED threads are left behind at once, after which the dispatcher waits.

A predictor that runs elsewhere (a worker process) can take a second batch while it computes
one (`pipeline_depth` 2): under load the next batch is already waiting in the worker's pipe
when the current one ends, so the worker never idles for the round trip through the event
loop. A dispatcher sends that second batch only when more work is queued than idle
dispatchers can take, so a lone request still goes to an idle worker."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from typeserve.errors import Problem, internal_error, timed_out, unavailable

log = logging.getLogger("typeserve.engine")

MAX_ABANDONED = 4

Predict = Callable[[list[Any]], Sequence[BaseModel]]


class BatchFailure(Problem):
    """A failure of the whole batch (a crashed or hung worker): not retried item by item."""


# eq=False: entries are told apart by identity. Field equality would compare the items, and
# for numpy-backed items (audio samples) `==` is an array, which killed the dispatcher.
@dataclass(eq=False)
class Pending:
    item: Any
    future: asyncio.Future[tuple[BaseModel, float, float]]
    enqueued: float = field(default_factory=time.perf_counter)
    deadline: float = 0.0


@dataclass(frozen=True)
class BatchStats:
    size: int
    queue_waits_s: list[float]
    inference_s: float


class BatchQueue:
    """Queue plus one dispatcher per replica around blocking predict functions."""

    def __init__(
        self,
        name: str,
        predictors: list[Predict],
        *,
        max_batch_size: int,
        max_batch_wait_ms: float,
        max_queue: int,
        on_batch: Callable[[BatchStats], None] | None = None,
        abandon_overruns: bool = False,
        pipeline_depth: int = 1,
    ) -> None:
        self.name = name
        self.max_batch_size = max_batch_size
        self.max_batch_wait_s = max_batch_wait_ms / 1000.0
        self.max_queue = max_queue
        self.on_batch = on_batch
        self.predictors = predictors
        self.queue: asyncio.Queue[Pending] = asyncio.Queue()
        self.in_flight = 0
        self.abandon_overruns = abandon_overruns
        self.abandoned = 0  # threads still running a batch past its deadline
        self.pipeline_depth = pipeline_depth
        self.idle_dispatchers = 0  # dispatchers with no batch, waiting for the first item
        self.backlog = asyncio.Event()  # more queued than the idle dispatchers will take
        self.batches: set[asyncio.Task[None]] = set()
        # When each dispatcher's last batch ended: a pipelined batch starts computing then.
        self.last_finished = [0.0] * len(predictors)
        self.executors = [self._new_executor() for _ in predictors]
        self.dispatchers = [
            asyncio.create_task(self._dispatch(index, predict)) for index, predict in enumerate(predictors)
        ]

    def _new_executor(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=self.pipeline_depth, thread_name_prefix=f"model-{self.name}")

    @property
    def depth(self) -> int:
        return self.queue.qsize()

    @property
    def busy(self) -> bool:
        return self.in_flight > 0 or not self.queue.empty()

    async def submit(self, items: list[Any], timeout_s: float) -> list[tuple[BaseModel, float, float]]:
        """Outputs with their queue and inference milliseconds, in the order of `items`."""
        if self.queue.qsize() + len(items) > self.max_queue:
            raise unavailable(
                "overloaded", f"Model {self.name} has {self.queue.qsize()} requests queued; try again shortly.", 1
            )
        loop = asyncio.get_running_loop()
        deadline = time.perf_counter() + timeout_s
        pending = [Pending(item, loop.create_future(), deadline=deadline) for item in items]
        for entry in pending:
            self.queue.put_nowait(entry)
        if self.pipeline_depth > 1 and self.queue.qsize() > self.idle_dispatchers:
            self.backlog.set()
        try:
            async with asyncio.timeout(timeout_s):
                return list(await asyncio.gather(*(p.future for p in pending)))
        except TimeoutError:
            raise timed_out(f"No answer from {self.name} within {timeout_s:g} s.") from None
        finally:
            for entry in pending:  # a caller that left (timeout, disconnect) drops its queued work
                if not entry.future.done():
                    entry.future.cancel()

    def run_now(self, items: list[Any]) -> list[BaseModel | BaseException]:
        """Predict in the caller's thread, bypassing the queue (inline models)."""
        started = time.perf_counter()
        outputs = self._predict_isolating(self.predictors[0], items)
        if self.on_batch:
            self.on_batch(BatchStats(len(items), [0.0] * len(items), time.perf_counter() - started))
        return outputs

    async def _take_batch(self) -> list[Pending]:
        self.idle_dispatchers += 1
        try:
            first = await self.queue.get()
        finally:
            self.idle_dispatchers -= 1
        return await self._fill_batch([first])

    async def _fill_batch(self, batch: list[Pending]) -> list[Pending]:
        while len(batch) < self.max_batch_size:
            try:
                batch.append(self.queue.get_nowait())
            except asyncio.QueueEmpty:
                # Wait for stragglers only under load: an idle model never waits.
                if len(batch) == 1 or self.max_batch_wait_s <= 0:
                    break
                try:
                    async with asyncio.timeout(self.max_batch_wait_s):
                        batch.append(await self.queue.get())
                except TimeoutError:
                    break
        return batch

    async def _run_bounded(self, index: int, predict: Predict, live: list[Pending]) -> list[BaseModel | BaseException]:
        """The batch's outputs; a timeout past the batch's deadline plus its timeout again (and
        the thread is left behind)."""
        loop = asyncio.get_running_loop()
        running = loop.run_in_executor(self.executors[index], self._predict_isolating, predict, [p.item for p in live])
        if not self.abandon_overruns or self.abandoned >= MAX_ABANDONED:
            return await running
        grace = max(p.deadline - p.enqueued for p in live)
        budget = max(p.deadline for p in live) + grace - time.perf_counter()
        done, _ = await asyncio.wait({running}, timeout=max(budget, 0.0))
        if done:
            return running.result()
        log.warning("model %s overran its deadline; its thread is left to finish and a fresh one serves", self.name)
        self.executors[index].shutdown(wait=False)
        self.executors[index] = self._new_executor()
        self.abandoned += 1

        def finished(_: object) -> None:
            self.abandoned -= 1

        running.add_done_callback(finished)
        overrun = timed_out(f"{self.name} gave no answer in time; the request was dropped.")
        return [overrun] * len(live)

    async def _dispatch(self, index: int, predict: Predict) -> None:
        if self.pipeline_depth == 1:
            while True:  # one batch at a time: no task or wait set on this hot path
                live = self._live(await self._take_batch())
                if live:
                    await self._run_batch(index, predict, live)
        await self._dispatch_pipelined(index, predict)

    async def _dispatch_pipelined(self, index: int, predict: Predict) -> None:
        """Up to pipeline_depth batches in flight; a second only while others wait in the queue."""
        running: set[asyncio.Task[None]] = set()
        while True:
            if not running:
                batch = await self._take_batch()
            else:
                waits: set[asyncio.Future[Any]] = set(running)
                backlog = None
                if len(running) < self.pipeline_depth:
                    backlog = asyncio.ensure_future(self.backlog.wait())
                    waits.add(backlog)
                try:
                    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    if backlog is not None:
                        backlog.cancel()
                running = {task for task in running if not task.done()}
                if not running or len(running) >= self.pipeline_depth:
                    continue
                if self.queue.qsize() <= self.idle_dispatchers:
                    self.backlog.clear()
                    continue
                batch = await self._fill_batch([self.queue.get_nowait()])
            live = self._live(batch)
            if live:
                task = asyncio.create_task(self._run_batch(index, predict, live))
                running.add(task)
                self.batches.add(task)
                task.add_done_callback(self.batches.discard)

    @staticmethod
    def _live(batch: list[Pending]) -> list[Pending]:
        """The batch's entries still wanted; the expired ones are answered as cancelled."""
        now = time.perf_counter()
        live = [p for p in batch if not p.future.done() and p.deadline > now]
        for expired in batch:
            if expired not in live and not expired.future.done():
                expired.future.cancel()
        return live

    async def _run_batch(self, index: int, predict: Predict, live: list[Pending]) -> None:
        """Predict the batch and answer each of its callers with its own output or problem."""
        sent = time.perf_counter()
        self.in_flight += len(live)
        try:
            outputs = await self._run_bounded(index, predict, live)
        except Exception as exc:  # defensive: _predict_isolating returns errors per item
            outputs = [as_problem(exc, self.name)] * len(live)
        finally:
            self.in_flight -= len(live)
        # A pipelined batch waits for the one before it: that wait is queueing, not inference.
        started = max(sent, self.last_finished[index])
        self.last_finished[index] = finished = time.perf_counter()
        inference_s = finished - started
        if self.on_batch:
            self.on_batch(BatchStats(len(live), [started - p.enqueued for p in live], inference_s))
        for entry, output in zip(live, outputs, strict=True):
            if entry.future.done():
                continue
            if isinstance(output, BaseException):
                entry.future.set_exception(output)
            else:
                entry.future.set_result((output, (started - entry.enqueued) * 1000, inference_s * 1000))

    def _predict_isolating(self, predict: Predict, items: list[Any]) -> list[BaseModel | BaseException]:
        """Predict the batch; if it fails, predict each item alone so that one bad input
        fails only its own caller (unless the failure is the whole batch's, like a crash)."""
        try:
            outputs = list(predict(items))
            if len(outputs) != len(items):
                raise RuntimeError(f"model returned {len(outputs)} outputs for {len(items)} inputs")
            return list(outputs)
        except BatchFailure as failure:
            return [failure] * len(items)
        except Exception as exc:
            if len(items) == 1:
                return [as_problem(exc, self.name)]
        results: list[BaseModel | BaseException] = []
        for item in items:
            try:
                results.append(predict([item])[0])
            except Exception as exc:
                results.append(as_problem(exc, self.name))
        return results

    async def close(self) -> None:
        tasks = [*self.dispatchers, *self.batches]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        while not self.queue.empty():
            entry = self.queue.get_nowait()
            if not entry.future.done():
                entry.future.set_exception(unavailable("model_unloaded", f"Model {self.name} was unloaded."))
        for executor in self.executors:
            executor.shutdown(wait=False, cancel_futures=True)


def as_problem(exc: BaseException, model_name: str) -> Problem:
    if isinstance(exc, Problem):
        return exc
    log.error("model %s failed: %r", model_name, exc, exc_info=exc)
    return internal_error(f"Model {model_name} failed on this input.", "inference_failed", "Inference failed")
