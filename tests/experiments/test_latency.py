"""Latency percentiles and throughput of an experiment's rows, on inputs checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from typeserve.experiments.latency import busy_seconds, percentiles, throughput


def test_latency_percentiles_and_throughput_over_busy_time() -> None:
    assert percentiles([10.0, 20.0, 30.0, 40.0, 50.0]) == {"p50": 30.0, "p95": 48.0, "mean": 30.0}
    at = datetime(2026, 1, 1, tzinfo=UTC)

    def span(start: float, end: float) -> tuple[datetime, datetime]:
        return at + timedelta(seconds=start), at + timedelta(seconds=end)

    # Overlapping rows 0-2 and 1-3 s, then a restart, then 100-101 s: busy 3 + 1 = 4 s for 3 rows.
    intervals = [span(0, 2), span(1, 3), span(100, 101)]
    assert busy_seconds(intervals) == pytest.approx(4.0)
    assert throughput(intervals) == pytest.approx(0.75)
    assert throughput([]) is None
