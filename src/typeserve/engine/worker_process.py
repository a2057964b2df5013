"""Worker processes: a model that may crash (native code, segfaults, OOM kills) or hold the
GIL runs in a child process of its own. The parent sends batches over a pipe and gets
outputs back; if the child dies, the batch in flight fails with 503 `worker_crashed` and the
next batch starts a fresh child, so the server and the other models go on."""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.batching import BatchFailure
from typeserve.engine.memory import resident_bytes
from typeserve.engine.worker_threads import compute_threads, limit_threads
from typeserve.errors import ErrorKind, Problem

log = logging.getLogger("typeserve.engine")

# Batches a worker holds at once under load: the one it computes and the next, waiting in its
# pipe. More would only make the later ones wait longer.
PIPELINE_DEPTH = 2

# Spawn, not fork: the server has threads and maybe CUDA state that a fork would corrupt.
_CONTEXT = multiprocessing.get_context("spawn")


class WorkerCrashed(BatchFailure):
    def __init__(self, model_id: str, detail: str) -> None:
        super().__init__(
            ErrorKind.UNAVAILABLE,
            "worker_crashed",
            "Model worker crashed",
            f"The worker process of {model_id} stopped ({detail}); it is being restarted. Retry the request.",
            headers={"Retry-After": "1"},
        )


class WorkerTimeout(BatchFailure):
    def __init__(self, model_id: str, seconds: float) -> None:
        super().__init__(
            ErrorKind.TIMEOUT,
            "inference_timeout",
            "Inference timed out",
            f"{model_id} gave no answer within {seconds:g} s; its worker was restarted.",
        )


def _serve(spec_json: str, device: str, connection: Connection) -> None:
    """The child: load the model, then answer batches until the parent closes the pipe."""
    from typeserve.catalog.spec import ModelSpec
    from typeserve.runtimes import get_runtime

    try:
        spec = ModelSpec.model_validate_json(spec_json)
        threads = compute_threads(spec)
        limit_threads(threads)
        model = get_runtime(spec.runtime).load(spec, device)
        limit_threads(threads)  # the model may have imported torch only now
        connection.send(("ready", model.max_batch_size))
    except BaseException as exc:
        connection.send(("load_failed", f"{exc.__class__.__name__}: {exc}"))
        return
    while True:
        try:
            batch = connection.recv()
        except (EOFError, OSError):
            break
        try:
            outputs = list(model.predict(batch))
            connection.send(("ok", outputs))
        except Problem as problem:
            connection.send(("problem", problem))
        except Exception as exc:
            connection.send(("error", f"{exc.__class__.__name__}: {exc}", traceback.format_exc()))
    model.close()


class WorkerProcess:
    """One child process holding one loaded model. Several threads may call `predict` at
    once: batches go down the pipe in turn and the child answers them in the order sent, so
    a batch sent while the one before computes is waiting in the pipe when the child is free
    (the local engine keeps a second batch in flight under load: the child never idles for the
    parent's round trip)."""

    def __init__(self, spec: ModelSpec, device: str, load_timeout_s: float = 600.0) -> None:
        self.spec = spec
        self.device = device
        self.load_timeout_s = load_timeout_s
        self.process: BaseProcess | Any = None
        self.connection: Connection | None = None
        self.max_batch_size = 1
        self.ready_info: Any = None
        self.starts = 0  # children started, the first included
        self._sending = threading.Lock()  # one sender (and one start) at a time
        # Guards the child's identity and the reply order; never held across a blocking call.
        self._state = threading.Condition()
        self._generation = 0  # a new child is a new generation: replies of an old one are lost
        self._sent = 0  # batches sent to this generation's child
        self._answered = 0  # replies read from it; the next reply is the answer to batch _answered

    def launch(self) -> tuple[Any, Connection]:
        """Start the child; its process handle and the parent's end of the pipe. Subclasses
        start other children (engine/venv_worker.py: a predictor in its own virtualenv)."""
        parent, child = _CONTEXT.Pipe(duplex=True)
        process = _CONTEXT.Process(
            target=_serve,
            args=(self.spec.model_dump_json(), self.device, child),
            name=f"typeserve-model-{self.spec.id}",
            daemon=True,
        )
        process.start()
        child.close()
        return process, parent

    def start(self) -> None:
        process, parent = self.launch()
        if not parent.poll(self.load_timeout_s):
            process.kill()
            raise RuntimeError(f"the worker did not load {self.spec.id} within {self.load_timeout_s:g} s")
        try:
            message = parent.recv()
        except EOFError:
            process.join(5)
            raise RuntimeError(f"the worker died while loading (exit code {process.exitcode})") from None
        if message[0] != "ready":
            process.join(5)
            raise RuntimeError(message[1])
        self.max_batch_size = int(message[1])
        # What the child tells about the model beyond its batch size (a predictor's inputs).
        self.ready_info = message[2] if len(message) > 2 else None
        with self._state:
            self.process, self.connection = process, parent
            self._sent = self._answered = 0
            self.starts += 1

    def predict(self, batch: list[Any], timeout_s: float) -> list[Any]:
        # A batch still waiting in the pipe when its child is discarded (the batch before it
        # crashed the child or overran) was never read: it goes to the fresh child, once.
        for _ in range(2):
            generation, connection, turn = self._send(batch)
            if self._wait_for_turn(generation, turn):
                return self._answer(generation, connection, timeout_s)
        raise WorkerCrashed(self.spec.id, "it was restarted twice while this batch waited for it")

    def _wait_for_turn(self, generation: int, turn: int) -> bool:
        """Wait until every batch sent before this one is answered; False if the child was
        discarded first."""
        with self._state:
            while self._generation == generation and self._answered != turn:
                self._state.wait()
            return self._generation == generation

    def _answer(self, generation: int, connection: Connection, timeout_s: float) -> list[Any]:
        try:
            if not connection.poll(timeout_s):
                self._discard(generation)
                raise WorkerTimeout(self.spec.id, timeout_s)
            message = connection.recv()
        except WorkerTimeout:
            raise
        except Exception as exc:  # EOF, a reset pipe, or one closed by stop() under the read
            raise self._crashed(generation, exc) from None
        with self._state:
            if self._generation == generation:
                self._answered += 1
                self._state.notify_all()
        kind = message[0]
        if kind == "ok":
            outputs: list[Any] = message[1]
            return outputs
        if kind == "problem":
            raise message[1]
        log.error("model %s failed in its worker: %s\n%s", self.spec.id, message[1], message[2])
        raise RuntimeError(message[1])

    def _send(self, batch: list[Any]) -> tuple[int, Connection, int]:
        """Send the batch to a live child (starting one if there is none); the child's
        generation, its pipe, and the batch's place in its reply order."""
        with self._sending:
            while True:
                with self._state:
                    process, connection, generation = self.process, self.connection, self._generation
                    live = connection is not None and process is not None and process.is_alive()
                    if live:
                        turn = self._sent
                        self._sent += 1
                        break
                # No child, or a dead one (its batches in flight fail as it is discarded).
                self._discard(generation)
                self.start()
            assert connection is not None
            try:
                connection.send(batch)
            except Exception as exc:  # a dead child's pipe, or one closed under the write
                raise self._crashed(generation, exc) from None
        return generation, connection, turn

    def _crashed(self, generation: int, exc: BaseException) -> WorkerCrashed:
        exit_code = self._discard(generation)
        log.error("worker of %s died (exit code %s): %r", self.spec.id, exit_code, exc)
        return WorkerCrashed(self.spec.id, describe_exit(exit_code))

    @property
    def restarts(self) -> int:
        return max(0, self.starts - 1)

    def resident_bytes(self) -> int:
        if self.process is None or self.process.pid is None:
            return 0
        return resident_bytes(self.process.pid)

    def _discard(self, generation: int) -> int | None:
        """Stop and forget the child of that generation (if it is still the current one), and
        fail the batches still waiting for it; the child's exit code if it had one."""
        with self._state:
            if generation != self._generation:
                return None
            process, connection = self.process, self.connection
            self.process = self.connection = None
            self._generation += 1
            self._state.notify_all()
        if connection is not None:
            connection.close()
        if process is None:
            return None
        if process.is_alive():
            process.kill()
        process.join(5)
        return process.exitcode

    def stop(self) -> None:
        self._discard(self._generation)


def describe_exit(exit_code: int | None) -> str:
    if exit_code is None:
        return "no exit code"
    if exit_code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"killed by signal {-exit_code}"
    return f"exit code {exit_code}"
