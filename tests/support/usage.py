"""Reading what a live server metered, straight from its SQLite database (the writer flushes
off the request path, so this waits for the row)."""

from __future__ import annotations

import sqlite3
import time

from tests.support.server import LiveServer


def metered(server: LiveServer, request_id: str, timeout_s: float = 10.0) -> tuple[str, str, int, int]:
    """(model id, tier, status, items) of the request's usage row."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with sqlite3.connect(server.data_dir / "typeserve.db") as db:
            row = db.execute(
                "SELECT model_id, tier, status, items FROM usage_events WHERE request_id = ?", (request_id,)
            ).fetchone()
        if row is not None:
            return row[0], row[1], int(row[2]), int(row[3])
        time.sleep(0.1)
    raise AssertionError(f"no usage row for request {request_id}")
