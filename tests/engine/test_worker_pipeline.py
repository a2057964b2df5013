"""Worker processes under concurrent callers: several batches in flight on one child (the
pipeline), each answered with its own outputs; a crash or an overrun fails only the batch
the child was computing, and the batches waiting behind it go to a fresh child; a lone
request goes to an idle worker, not behind a busy one; several workers of one model share
the cores."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.predictor_specs import predictor_spec
from typeserve.catalog.spec import ModelSpec
from typeserve.engine.batching import BatchQueue
from typeserve.engine.worker_process import PIPELINE_DEPTH, WorkerCrashed, WorkerProcess
from typeserve.engine.worker_threads import compute_threads, machine_cores
from typeserve.modeltypes import get_model_type

TextInput = get_model_type("text-classification").Input


def spec_of(cls: str, **serving: Any) -> ModelSpec:
    return ModelSpec.model_validate(predictor_spec(f"test/1/{cls.lower()}", cls, in_process=False, **serving))


def texts(*values: str) -> list[Any]:
    return [TextInput.model_validate({"input": value}) for value in values]


def label(output: Any) -> str:
    labels = output["labels"] if isinstance(output, dict) else output.labels
    first = labels[0]
    return str(first["label"] if isinstance(first, dict) else first.label)


@pytest.fixture
def crasher() -> Iterator[WorkerProcess]:
    worker = WorkerProcess(spec_of("Crasher"), "cpu")
    worker.start()
    yield worker
    worker.stop()


def test_concurrent_batches_on_one_worker_each_get_their_own_outputs(crasher: WorkerProcess) -> None:
    answers: dict[str, list[str]] = {}

    def caller(name: str) -> None:
        for round_ in range(5):
            batch = [f"{name}-{round_}-{i}" for i in range(3)]
            outputs = crasher.predict(texts(*batch), 30)
            answers.setdefault(name, []).extend(label(o).split("|", 1)[1] for o in outputs)

    threads = [threading.Thread(target=caller, args=(f"t{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for n in range(6):
        assert answers[f"t{n}"] == [f"t{n}-{r}-{i}" for r in range(5) for i in range(3)]


def test_a_crash_fails_only_its_batch_and_the_batch_waiting_behind_it_goes_to_a_fresh_child(
    crasher: WorkerProcess,
) -> None:
    first_pid = label(crasher.predict(texts("hello"), 30)[0]).split("|")[0]
    answers: dict[str, str] = {}
    failures: dict[str, BaseException] = {}

    def send(value: str) -> None:
        try:
            answers[value] = label(crasher.predict(texts(value), 30)[0])
        except WorkerCrashed as exc:
            failures[value] = exc

    # The slow batch is computing when the crash arrives behind it; a third waits behind both.
    threads = [threading.Thread(target=send, args=(value,)) for value in ("sleep 0.5", "crash", "after the crash")]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(30)
    assert answers["sleep 0.5"] == f"{first_pid}|sleep 0.5"  # answered before the child reached the crash
    assert list(failures) == ["crash"] and failures["crash"].code == "worker_crashed"
    # Never read by the dead child, the last batch was sent again to its successor.
    behind_pid, behind = answers["after the crash"].split("|")
    assert behind == "after the crash" and behind_pid != first_pid
    assert crasher.restarts == 1


def test_a_batch_waiting_behind_one_that_overruns_is_served_by_the_fresh_child() -> None:
    worker = WorkerProcess(spec_of("Crasher"), "cpu")
    worker.start()
    outcome: dict[str, Any] = {}

    def send(value: str, timeout_s: float) -> None:
        try:
            outcome[value] = label(worker.predict(texts(value), timeout_s)[0])
        except Exception as exc:
            outcome[value] = exc

    try:
        overrun = threading.Thread(target=send, args=("sleep 30", 1.0))
        overrun.start()
        time.sleep(0.2)
        behind = threading.Thread(target=send, args=("quick", 30))
        behind.start()
        overrun.join(30)
        behind.join(30)
    finally:
        worker.stop()
    assert getattr(outcome["sleep 30"], "code", None) == "inference_timeout"
    assert outcome["quick"].endswith("|quick")


def test_a_lone_request_goes_to_an_idle_worker_and_a_backlog_is_pipelined() -> None:
    spec = spec_of("Crasher", replicas=2)
    workers = [WorkerProcess(spec, "cpu") for _ in range(2)]
    for worker in workers:
        worker.start()

    async def scenario() -> tuple[str, str, list[str]]:
        queue = BatchQueue(
            "pipeline",
            [lambda batch, w=w: w.predict(batch, 30) for w in workers],  # type: ignore[misc]
            max_batch_size=1,
            max_batch_wait_ms=0,
            max_queue=64,
            pipeline_depth=PIPELINE_DEPTH,
        )
        try:
            slow = asyncio.create_task(queue.submit(texts("sleep 0.6"), 30))
            await asyncio.sleep(0.2)
            lone = await queue.submit(texts("lone"), 30)
            busy = await slow
            many = await queue.submit(texts(*[f"sleep 0.05 #{i}" for i in range(12)]), 30)
            return label(busy[0][0]), label(lone[0][0]), [label(output) for output, _, _ in many]
        finally:
            await queue.close()

    try:
        busy, lone, many = asyncio.run(scenario())
    finally:
        for worker in workers:
            worker.stop()
    assert lone.split("|")[0] != busy.split("|")[0], "the lone request waited behind the busy worker"
    assert [m.split("|")[1] for m in many] == [f"sleep 0.05 #{i}" for i in range(12)]
    assert len({m.split("|")[0] for m in many}) == 2, "both workers take part in a backlog"


def test_several_workers_of_a_model_share_the_cores_and_the_catalog_may_say_otherwise() -> None:
    cores = machine_cores()
    assert compute_threads(spec_of("ThreadReporter")) is None
    assert compute_threads(spec_of("ThreadReporter", replicas=2)) == max(1, cores // 2)
    assert compute_threads(spec_of("ThreadReporter", replicas=2, threads=3)) == 3
    before = os.environ.get("OMP_NUM_THREADS")
    worker = WorkerProcess(spec_of("ThreadReporter", replicas=2), "cpu")
    worker.start()
    try:
        shown = label(worker.predict(texts("threads?"), 30)[0])
    finally:
        worker.stop()
    share = max(1, cores // 2)
    assert shown == f"omp={share}|torch={share}"
    assert os.environ.get("OMP_NUM_THREADS") == before  # the limit is the child's, not the server's
