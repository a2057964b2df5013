"""`typeserve usage`: the usage table of `GET /v1/usage` (requests, items, errors, compute
seconds, p50/p95 latency) per key, model or day, read from the data directory's database."""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import typer
from rich.table import Table

from typeserve.cli.common import DataDir, fail, settings_for, wide_console


def usage(
    group_by: Annotated[Literal["key", "model", "day"], typer.Option("--group-by", help="key, model, day")] = "model",
    since: Annotated[str | None, typer.Option("--from", help="Start, ISO 8601 (default: 30 days ago).")] = None,
    until: Annotated[str | None, typer.Option("--to", help="End, ISO 8601 (default: now).")] = None,
    output: Annotated[Literal["table", "json", "csv"], typer.Option("--output", help="table, json or csv.")] = "table",
    data_dir: DataDir = None,
) -> None:
    """Usage per API key, model or day: requests, items, errors, compute seconds, latency."""
    from typeserve.accounts.usage_report import COLUMNS, usage_totals
    from typeserve.store import open_database

    def instant(text: str | None, default: datetime) -> datetime:
        if not text:
            return default
        try:
            at = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise fail(f"{text!r} is not an ISO 8601 date or time", 2) from None
        return at if at.tzinfo else at.replace(tzinfo=UTC)

    end = instant(until, datetime.now(UTC))
    start = instant(since, end - timedelta(days=30))
    groups, truncated = usage_totals(open_database(settings_for(data_dir)), group_by, start, end, user_id=None)
    rows = [group.as_json() for group in groups]
    if output == "json":
        print(json.dumps({"groupBy": group_by, "groups": rows, "truncated": truncated}, indent=2))
        return
    if output == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    table = Table(group_by, "requests", "items", "errors", "compute s", "p50 ms", "p95 ms")
    for row in rows:
        table.add_row(*(str(row[column]) for column in COLUMNS))
    wide_console().print(table)
