"""Usage figures read from a real store: buckets, groups per model and per key, errors,
latency percentiles, and one user's view against an admin's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from typeserve.accounts.keys import ApiKeyStore
from typeserve.console.charts import line_chart
from typeserve.console.usage_stats import SESSION_GROUP, usage_report
from typeserve.store.database import Database
from typeserve.store.tables import UsageEvent, User, utcnow


def make_store(tmp_path: Path) -> tuple[Database, str]:
    db = Database(f"sqlite:///{tmp_path / 'usage.db'}")
    db.migrate()
    with db.session() as session:
        session.add_all([User(id=1, name="ann"), User(id=2, name="bob")])
    key = ApiKeyStore(db).create("ann's app", user_id=1).info.id
    now = utcnow()
    rows = [
        {"at": now - timedelta(minutes=1), "key_id": key, "user_id": 1, "model_id": "m/1/a", "status": 200, "ms": 10},
        {"at": now - timedelta(minutes=2), "key_id": key, "user_id": 1, "model_id": "m/1/a", "status": 200, "ms": 30},
        {"at": now - timedelta(hours=3), "key_id": None, "user_id": 1, "model_id": "m/1/a", "status": 422, "ms": 2},
        {"at": now - timedelta(hours=5), "key_id": None, "user_id": 2, "model_id": "m/1/b", "status": 200, "ms": 99},
        {"at": now - timedelta(days=3), "key_id": key, "user_id": 1, "model_id": "m/1/a", "status": 200, "ms": 5},
    ]
    with db.session() as session:
        session.execute(
            insert(UsageEvent),
            [
                {
                    "at": r["at"],
                    "key_id": r["key_id"],
                    "user_id": r["user_id"],
                    "model_id": r["model_id"],
                    "tier": "cpuflex",
                    "status": r["status"],
                    "duration_ms": r["ms"],
                    "items": 1,
                }
                for r in rows
            ],
        )
    return db, key


def test_one_users_day_per_model(tmp_path: Path) -> None:
    db, _ = make_store(tmp_path)
    report = usage_report(db, user_id=1, range_name="24h", by="model")
    [group] = report.groups
    assert (group.name, group.total_requests, group.total_errors) == ("m/1/a", 3, 1)
    assert len(report.bucket_starts) == 24 and report.bucket_starts[0].minute == 0
    assert sum(group.requests) == 3 and sum(group.errors) == 1
    assert sum(group.requests[-2:]) == 2  # the two calls of the last minutes: in the newest buckets
    assert group.p95_ms == 30 and round(group.mean_ms, 3) == 14.0


def test_admin_view_per_key(tmp_path: Path) -> None:
    db, key = make_store(tmp_path)
    report = usage_report(db, user_id=None, range_name="7d", by="key")
    totals = {g.name: g.total_requests for g in report.groups}
    assert totals == {f"ann's app (tsk_{key})": 3, SESSION_GROUP: 2}


def test_chart_scales_counts_to_whole_ticks(tmp_path: Path) -> None:
    db, _ = make_store(tmp_path)
    report = usage_report(db, user_id=1, range_name="24h", by="model")
    group = report.groups[0]
    values: list[float | None] = [float(v) for v in group.requests]
    chart = line_chart("Requests", "requests", report.bucket_starts, [(group.name, values)], "%H:%M", counts=True)
    assert [label for _, label in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert len(chart.series[0].points.split()) == 24 and not chart.empty


def test_the_default_range_is_the_shortest_that_holds_the_data(tmp_path: Path) -> None:
    from typeserve.console.usage_stats import fitting_range

    db, _ = make_store(tmp_path)
    assert fitting_range(db, user_id=1) == "7d"  # ann's oldest request is 3 days old
    assert fitting_range(db, user_id=2) == "24h"  # bob's is 5 hours old
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.migrate()
    with fresh.session() as session:
        session.add(User(id=1, name="ann"))
    assert fitting_range(fresh, user_id=1) == "24h"
    with fresh.session() as session:
        session.execute(
            insert(UsageEvent),
            [
                {
                    "at": utcnow() - timedelta(minutes=3),
                    "key_id": None,
                    "user_id": 1,
                    "model_id": "m/1/a",
                    "tier": "cpuflex",
                    "status": 200,
                    "duration_ms": 1.0,
                    "items": 1,
                }
            ],
        )
    assert fitting_range(fresh, user_id=1) == "1h"  # a fresh install's first minutes
