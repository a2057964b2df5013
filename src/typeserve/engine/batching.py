"""Dynamic batching for one (model, tier): callers enqueue items and await their own future;
a dispatcher per replica takes whatever is queued (up to the model's batch size), so an idle
model answers at once and a busy one answers many callers with one predict call."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from typeserve.errors import Problem, unavailable

log = logging.getLogger("typeserve.engine")


@dataclass
class Pending:
    item: Any
    future: asyncio.Future[tuple[BaseModel, float, float]]
    enqueued: float = field(default_factory=time.perf_counter)
    deadline: float = 0.0


class BatchQueue:
    """Queue plus dispatchers around a blocking `predict(batch) -> outputs` function."""

    def __init__(
        self,
        name: str,
        predict: Callable[[list[Any]], Sequence[BaseModel]],
        *,
        max_batch_size: int,
        max_batch_wait_ms: float,
        max_queue: int,
        replicas: int = 1,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        self.name = name
        self.predict = predict
        self.max_batch_size = max_batch_size
        self.max_batch_wait_s = max_batch_wait_ms / 1000.0
        self.max_queue = max_queue
        self.on_batch = on_batch
        self.queue: asyncio.Queue[Pending] = asyncio.Queue()
        self.executor = ThreadPoolExecutor(max_workers=replicas, thread_name_prefix=f"model-{name}")
        self.dispatchers = [asyncio.create_task(self._dispatch()) for _ in range(replicas)]

    @property
    def depth(self) -> int:
        return self.queue.qsize()

    async def submit(self, items: list[Any], timeout_s: float) -> list[tuple[BaseModel, float, float]]:
        """Outputs with their queue and inference milliseconds, in the order of `items`."""
        if self.queue.qsize() + len(items) > self.max_queue:
            raise unavailable(
                "overloaded",
                f"Model {self.name} has {self.queue.qsize()} requests queued; try again shortly.",
                1,
            )
        loop = asyncio.get_running_loop()
        deadline = time.perf_counter() + timeout_s
        pending = [Pending(item, loop.create_future(), deadline=deadline) for item in items]
        for entry in pending:
            self.queue.put_nowait(entry)
        try:
            async with asyncio.timeout(timeout_s):
                return list(await asyncio.gather(*(p.future for p in pending)))
        except TimeoutError:
            raise Problem(
                504,
                "inference_timeout",
                "Inference timed out",
                f"No answer from {self.name} within {timeout_s:g} s.",
            ) from None
        finally:
            for entry in pending:  # a caller that left (timeout, disconnect) drops its queued work
                if not entry.future.done():
                    entry.future.cancel()

    async def _take_batch(self) -> list[Pending]:
        first = await self.queue.get()
        batch = [first]
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

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = await self._take_batch()
            now = time.perf_counter()
            live = [p for p in batch if not p.future.done() and p.deadline > now]
            for expired in (p for p in batch if not p.future.done() and p.deadline <= now):
                expired.future.cancel()
            if not live:
                continue
            started = time.perf_counter()
            try:
                outputs = await loop.run_in_executor(self.executor, self._predict_isolating, [p.item for p in live])
            except Exception as exc:  # defensive: _predict_isolating returns errors per item
                outputs = [exc] * len(live)
            inference_ms = (time.perf_counter() - started) * 1000
            if self.on_batch:
                self.on_batch(len(live), inference_ms / 1000)
            for entry, output in zip(live, outputs, strict=True):
                if entry.future.done():
                    continue
                if isinstance(output, BaseException):
                    entry.future.set_exception(output)
                else:
                    entry.future.set_result((output, (started - entry.enqueued) * 1000, inference_ms))

    def _predict_isolating(self, items: list[Any]) -> list[BaseModel | BaseException]:
        """Predict the batch; if it fails, predict each item alone so that one bad input
        fails only its own caller."""
        try:
            outputs = self.predict(items)
            if len(outputs) != len(items):
                raise RuntimeError(f"model returned {len(outputs)} outputs for {len(items)} inputs")
            return list(outputs)
        except Exception as exc:
            if len(items) == 1:
                return [as_problem(exc, self.name)]
        results: list[BaseModel | BaseException] = []
        for item in items:
            try:
                results.append(self.predict([item])[0])
            except Exception as exc:
                results.append(as_problem(exc, self.name))
        return results

    async def close(self) -> None:
        for task in self.dispatchers:
            task.cancel()
        await asyncio.gather(*self.dispatchers, return_exceptions=True)
        while not self.queue.empty():
            entry = self.queue.get_nowait()
            if not entry.future.done():
                entry.future.set_exception(unavailable("model_unloaded", f"Model {self.name} was unloaded."))
        self.executor.shutdown(wait=False, cancel_futures=True)


def as_problem(exc: BaseException, model_name: str) -> Problem:
    if isinstance(exc, Problem):
        return exc
    log.error("model %s failed: %r", model_name, exc, exc_info=exc)
    return Problem(500, "inference_failed", "Inference failed", f"Model {model_name} failed on this input.")
