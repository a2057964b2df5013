"""How a type's outputs are scored against a dataset's expected answers: the row field that
holds the answer, the part of an output compared with it, and the metrics (computed once, with
the field's established libraries, in the type's module or a shared helper here).

Every scorer takes the rows that have an expected answer: the model's output for each (None
where the row failed, which counts as a wrong answer, never as a skipped one) and the expected
answer, and returns metric name -> value (None where undefined)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Output = dict[str, Any] | None
Scorer = Callable[[list[Output], list[Any]], dict[str, float | None]]


@dataclass(frozen=True)
class MetricInfo:
    """How a metric reads: its title, whether higher is better, and its scale."""

    name: str
    title: str
    higher_is_better: bool
    # "0-1" for fractions, "0-100" for sacrebleu's percentages.
    scale: str = "0-1"

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "higherIsBetter": self.higher_is_better, "scale": self.scale}


@dataclass(frozen=True)
class Scoring:
    """Everything experiments need to compare a type's models on a dataset."""

    # The field of a dataset row that holds the expected answer.
    expected_field: str
    metrics: tuple[MetricInfo, ...]
    scorer: Scorer
    # The part of an output compared with the expected answer (and shown beside it).
    prediction: Callable[[dict[str, Any]], Any]
    # Right or wrong as a whole (a label, a token): the console ticks or crosses each row.
    exact_match: bool = False


def first(field: str, key: str) -> Callable[[dict[str, Any]], Any]:
    """The prediction of a ranked output: `key` of the best entry of the list under `field`."""

    def best(output: dict[str, Any]) -> Any:
        ranked = output.get(field) or []
        return ranked[0][key] if ranked else None

    return best


def value_of(field: str) -> Callable[[dict[str, Any]], Any]:
    return lambda output: output.get(field)
