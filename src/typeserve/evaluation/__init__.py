"""Quality evaluations of catalog models on data they were not trained on.

Each module in this package defines `EVALS: dict[str, Evaluation]`, keyed by model id; an
evaluation receives a `LocalInference` (the same path as the HTTP API, minus HTTP) and
returns its figures. `typeserve eval [MODEL_ID ...]` and `make eval` run them and print a
table; the figures are copied into the models' catalog entries (`quality:`)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from typeserve.inference import LocalInference


@dataclass(frozen=True)
class EvalResult:
    model_id: str
    metric: str
    value: float
    dataset: str
    samples: int
    note: str | None = None

    def as_json(self) -> dict[str, object]:
        return asdict(self)


Evaluation = Callable[[LocalInference], Awaitable[list[EvalResult]]]


def all_evaluations() -> dict[str, Evaluation]:
    found: dict[str, Evaluation] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        found.update(getattr(module, "EVALS", {}))
    return dict(sorted(found.items()))


async def run_evaluations(run: LocalInference, model_ids: list[str] | None = None) -> list[EvalResult]:
    evaluations = all_evaluations()
    unknown = [m for m in model_ids or [] if m not in evaluations]
    if unknown:
        raise KeyError(f"no evaluation for {', '.join(unknown)}; known: {', '.join(evaluations)}")
    results: list[EvalResult] = []
    for model_id in model_ids or list(evaluations):
        results += await evaluations[model_id](run)
    return results
