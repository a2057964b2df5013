"""Usage totals from the stored usage rows, grouped by API key, model or UTC day: requests,
items, errors, compute seconds (the engine's inference time) and p50/p95 latency. The usage API
(`GET /v1/usage`), `typeserve usage` and the console read the same figures."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from typeserve.store.database import Database
from typeserve.store.tables import UsageEvent

GroupBy = Literal["key", "model", "day"]
MAX_ROWS = 1_000_000
SESSION_GROUP = "console"


@dataclass
class UsageGroup:
    group: str
    requests: int = 0
    items: int = 0
    errors: int = 0
    compute_ms: float = 0.0
    durations: list[float] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "group": self.group,
            "requests": self.requests,
            "items": self.items,
            "errors": self.errors,
            "computeSeconds": round(self.compute_ms / 1000, 6),
            "p50Ms": round(percentile(self.durations, 0.50), 3),
            "p95Ms": round(percentile(self.durations, 0.95), 3),
        }


COLUMNS = ["group", "requests", "items", "errors", "computeSeconds", "p50Ms", "p95Ms"]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def usage_totals(
    db: Database, group_by: GroupBy, start: datetime, end: datetime, *, user_id: int | None, key_id: str | None = None
) -> tuple[list[UsageGroup], bool]:
    """Groups in [start, end), for one user (None: everyone) and optionally one key; and
    whether the rows were cut at MAX_ROWS."""
    query = select(
        UsageEvent.at,
        UsageEvent.key_id,
        UsageEvent.model_id,
        UsageEvent.status,
        UsageEvent.items,
        UsageEvent.duration_ms,
        UsageEvent.compute_ms,
    ).where(UsageEvent.at >= start, UsageEvent.at < end)
    if user_id is not None:
        query = query.where(UsageEvent.user_id == user_id)
    if key_id is not None:
        query = query.where(UsageEvent.key_id == key_id)
    groups: dict[str, UsageGroup] = {}
    with db.session() as session:
        rows = session.execute(query.limit(MAX_ROWS + 1)).all()
    for at, row_key, model_id, status, items, duration_ms, compute_ms in rows[:MAX_ROWS]:
        if group_by == "key":
            name = row_key or SESSION_GROUP
        elif group_by == "model":
            name = model_id
        else:
            name = at.strftime("%Y-%m-%d")
        group = groups.get(name)
        if group is None:
            group = groups[name] = UsageGroup(name)
        group.requests += 1
        group.items += items or 0
        if status >= 400:
            group.errors += 1
        group.compute_ms += compute_ms or 0.0
        group.durations.append(duration_ms)
    return sorted(groups.values(), key=lambda g: g.group), len(rows) > MAX_ROWS
