"""Usage figures from `usage_events`: requests, errors and latency per time bucket, grouped
by model or by API key, for one user (or everyone, for an admin)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from typeserve.store.database import Database
from typeserve.store.tables import ApiKey, UsageEvent, utcnow

# range name -> (span, bucket width)
RANGES: dict[str, tuple[timedelta, timedelta]] = {
    "1h": (timedelta(hours=1), timedelta(minutes=5)),
    "24h": (timedelta(hours=24), timedelta(hours=1)),
    "7d": (timedelta(days=7), timedelta(hours=6)),
    "30d": (timedelta(days=30), timedelta(days=1)),
}
MAX_EVENTS = 500_000
MAX_SERIES = 6
SESSION_GROUP = "console sessions"


@dataclass
class GroupStats:
    name: str
    requests: list[int]
    errors: list[int]
    latencies: list[list[float]]
    total_requests: int = 0
    total_errors: int = 0
    all_latencies: list[float] = field(default_factory=list)

    @property
    def error_rate(self) -> float:
        return self.total_errors / self.total_requests if self.total_requests else 0.0

    @property
    def mean_ms(self) -> float:
        return sum(self.all_latencies) / len(self.all_latencies) if self.all_latencies else 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(self.all_latencies, 0.95)

    def p95_per_bucket(self) -> list[float | None]:
        return [percentile(values, 0.95) if values else None for values in self.latencies]


@dataclass
class UsageReport:
    range_name: str
    by: str
    bucket_starts: list[datetime]
    groups: list[GroupStats]
    truncated: bool


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def key_names(db: Database, key_ids: set[str]) -> dict[str, str]:
    if not key_ids:
        return {}
    with db.session() as session:
        rows = session.execute(select(ApiKey.id, ApiKey.name).where(ApiKey.id.in_(key_ids))).all()
    return {key_id: f"{name} (tsk_{key_id})" for key_id, name in rows}


def fitting_range(db: Database, *, user_id: int | None) -> str:
    """The shortest range that holds every request of the last 30 days, so that a fresh
    install's few requests are not one spike at the right edge of a day."""
    longest = max(span for span, _width in RANGES.values())
    query = select(func.min(UsageEvent.at)).where(UsageEvent.at >= utcnow() - longest)
    if user_id is not None:
        query = query.where(UsageEvent.user_id == user_id)
    with db.session() as session:
        oldest = session.execute(query).scalar()
    if oldest is None:
        return "24h"
    age = utcnow() - (oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC))
    return next((name for name, (span, width) in RANGES.items() if age <= span - width), "30d")


def usage_report(db: Database, *, user_id: int | None, range_name: str, by: str) -> UsageReport:
    """`user_id` None means every user's usage."""
    span, width = RANGES[range_name]
    # Buckets end on a whole multiple of their width (the hour, the day), so axis labels read well.
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    end = epoch + width * math.ceil((utcnow() - epoch) / width)
    start = end - span
    count = math.ceil(span / width)
    bucket_starts = [start + width * i for i in range(count)]
    query = select(UsageEvent.at, UsageEvent.model_id, UsageEvent.key_id, UsageEvent.status, UsageEvent.duration_ms)
    query = query.where(UsageEvent.at >= start).order_by(UsageEvent.at.desc()).limit(MAX_EVENTS + 1)
    if user_id is not None:
        query = query.where(UsageEvent.user_id == user_id)
    with db.session() as session:
        events = session.execute(query).all()
    truncated = len(events) > MAX_EVENTS
    events = events[:MAX_EVENTS]
    names = key_names(db, {e.key_id for e in events if e.key_id}) if by == "key" else {}
    groups: dict[str, GroupStats] = {}
    for event in events:
        if by == "key":
            name = names.get(event.key_id, f"tsk_{event.key_id}") if event.key_id else SESSION_GROUP
        else:
            name = event.model_id
        group = groups.get(name)
        if group is None:
            group = groups[name] = GroupStats(name, [0] * count, [0] * count, [[] for _ in range(count)])
        index = min(count - 1, max(0, int((event.at - start) / width)))
        failed = event.status >= 400
        group.requests[index] += 1
        group.errors[index] += failed
        group.latencies[index].append(event.duration_ms)
        group.total_requests += 1
        group.total_errors += failed
        group.all_latencies.append(event.duration_ms)
    ordered = sorted(groups.values(), key=lambda g: (-g.total_requests, g.name))
    return UsageReport(range_name, by, bucket_starts, ordered, truncated)
