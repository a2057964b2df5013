"""Latency percentiles and throughput of one model's rows. Throughput counts rows per second
of the time the model was actually working: the union of the rows' start-to-finish
intervals, so a pause (a server restart mid-run) does not count against the model."""

from __future__ import annotations

from datetime import datetime


def percentiles(latencies_ms: list[float]) -> dict[str, float | None]:
    if not latencies_ms:
        return {"p50": None, "p95": None, "mean": None}
    import numpy as np  # imported on use: the server imports this module at start

    values = np.asarray(latencies_ms, dtype=float)
    return {
        "p50": float(np.percentile(values, 50)),
        "p95": float(np.percentile(values, 95)),
        "mean": float(values.mean()),
    }


def busy_seconds(intervals: list[tuple[datetime, datetime]]) -> float:
    """Length of the union of the intervals."""
    total = 0.0
    current_start: datetime | None = None
    current_end: datetime | None = None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total


def throughput(intervals: list[tuple[datetime, datetime]]) -> float | None:
    seconds = busy_seconds(intervals)
    if not intervals or seconds <= 0:
        return None
    return len(intervals) / seconds
