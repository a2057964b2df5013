"""Predictor classes for the engine's tests, served through the `python` runtime exactly as a
user's predictor from a git checkout would be. Each exposes a behaviour the engine must
survive: slowness, crashes, memory use, and a log of what it really computed."""

from __future__ import annotations

import ctypes
import os
import time
from pathlib import Path
from typing import Any

from typeserve.errors import bad_request


class _Logged:
    def __init__(self, spec: Any, device: str) -> None:
        self.options = spec.options
        self.log = Path(spec.options["log"]) if "log" in spec.options else None
        self.max_batch_size = int(spec.options.get("max_batch_size", 8))

    def record(self, text: str) -> None:
        if self.log is not None:
            with self.log.open("a") as log:
                log.write(text + "\n")


class BatchReporter(_Logged):
    """Labels each input with the size of the batch it was computed in, after a short delay
    (so that concurrent callers pile up while the model is busy); refuses inputs that start
    with `refuse` as a model refuses an input it cannot take."""

    def predict(self, batch: list[Any]) -> list[dict[str, Any]]:
        time.sleep(float(self.options.get("delay_s", 0.05)))
        refused = next((item.input for item in batch if str(item.input).startswith("refuse")), None)
        if refused is not None:
            raise bad_request("refused_input", f"This model refuses {refused!r}.")
        return [{"labels": [{"label": f"{item.input}|batch={len(batch)}", "score": 1.0}]} for item in batch]


class Sleeper(_Logged):
    """`{"input": "sleep 2.5"}` sleeps 2.5 s; every computed input is logged."""

    def predict(self, batch: list[Any]) -> list[dict[str, Any]]:
        outputs = []
        for item in batch:
            self.record(f"start {item.input}")
            words = item.input.split()
            if words[0] == "sleep":
                time.sleep(float(words[1]))
            self.record(f"done {item.input}")
            outputs.append({"labels": [{"label": item.input, "score": 1.0}]})
        return outputs


class Crasher(_Logged):
    """Segfaults on `{"input": "crash"}`, as a native extension gone wrong would; `sleep 0.5`
    sleeps first. Answers the worker's pid and the input."""

    def predict(self, batch: list[Any]) -> list[dict[str, Any]]:
        if any(item.input == "crash" for item in batch):
            ctypes.string_at(0)  # SIGSEGV: the whole process dies
        for item in batch:
            if str(item.input).startswith("sleep "):
                time.sleep(float(item.input.split()[1]))
        return [{"labels": [{"label": f"pid={os.getpid()}|{item.input}", "score": 1.0}]} for item in batch]


class ThreadReporter(_Logged):
    """Answers the thread counts its worker process was given (OMP_NUM_THREADS, and torch's)."""

    def predict(self, batch: list[Any]) -> list[dict[str, Any]]:
        import torch

        label = f"omp={os.environ.get('OMP_NUM_THREADS')}|torch={torch.get_num_threads()}"
        return [{"labels": [{"label": label, "score": 1.0}]} for _ in batch]


class MemoryHog(_Logged):
    """Holds `megabytes` of memory while loaded."""

    def __init__(self, spec: Any, device: str) -> None:
        super().__init__(spec, device)
        self.ballast = bytearray(int(spec.options["megabytes"]) * 2**20)
        for offset in range(0, len(self.ballast), 4096):  # touch every page so it is resident
            self.ballast[offset] = 1

    def predict(self, batch: list[Any]) -> list[dict[str, Any]]:
        return [{"labels": [{"label": "hog", "score": 1.0}]} for _ in batch]
