"""One model's answer to one dataset row, as the runner records it and reports read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from typeserve.store.tables import ExperimentRow


@dataclass(frozen=True)
class RowResult:
    model_id: str
    row_index: int
    output: dict[str, Any] | None
    error: str | None
    error_status: int | None
    tier: str | None
    latency_ms: float
    queue_ms: float | None
    inference_ms: float | None
    started_at: datetime
    finished_at: datetime


def row_result(row: ExperimentRow) -> RowResult:
    return RowResult(
        model_id=row.model_id,
        row_index=row.row_index,
        output=row.output,
        error=row.error,
        error_status=row.error_status,
        tier=row.tier,
        latency_ms=row.latency_ms,
        queue_ms=row.queue_ms,
        inference_ms=row.inference_ms,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )
