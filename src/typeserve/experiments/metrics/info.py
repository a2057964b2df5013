"""How a metric reads: its title, whether higher is better, and its scale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MetricInfo:
    name: str
    title: str
    higher_is_better: bool
    # "0-1" for fractions, "0-100" for sacrebleu's percentages.
    scale: str = "0-1"

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "higherIsBetter": self.higher_is_better, "scale": self.scale}
