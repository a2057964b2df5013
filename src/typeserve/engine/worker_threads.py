"""How many threads a model's worker processes compute with. One worker keeps the runtime's
default (a thread per core). Several workers of one model share the cores unless the catalog
says otherwise (`serving.threads`): two thread teams on the same cores fight, because an
OpenMP thread whose sibling was preempted spins at the barrier (two 2-thread MiniLM workers
on 2 cores answered 83 requests a second, two 1-thread ones 640)."""

from __future__ import annotations

import os
import sys

from typeserve.catalog.spec import ModelSpec


def machine_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def compute_threads(spec: ModelSpec) -> int | None:
    """Threads one worker of the model computes with; None leaves the runtime's default."""
    if spec.serving.threads is not None:
        return spec.serving.threads
    if spec.serving.replicas == 1:
        return None
    return max(1, machine_cores() // spec.serving.replicas)


def limit_threads(threads: int | None) -> None:
    """Before the model's libraries start their thread pools: OpenMP, MKL and OpenBLAS read
    these when they first run; torch is told directly in case it is already loaded."""
    if threads is None:
        return
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = str(threads)
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
