"""Usage metering off the request path: requests append to an in-memory buffer, a background
thread writes the buffer in batches (and updates keys' last-used times), so no request waits
on the database. Events still buffered at shutdown are flushed."""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from typeserve.accounts.keys import ApiKeyStore
from typeserve.store.database import Database
from typeserve.store.tables import utcnow

log = logging.getLogger("typeserve.usage")


@dataclass(frozen=True)
class Usage:
    model_id: str
    tier: str
    status: int
    duration_ms: float
    key_id: str | None = None
    user_id: int | None = None
    items: int = 1
    request_id: str | None = None
    compute_ms: float | None = None
    at: datetime = field(default_factory=utcnow)


def stored_time(at: datetime, sqlite: bool) -> datetime | str:
    """As the UTCDateTime column stores it: naive UTC text on SQLite, aware UTC elsewhere."""
    utc = at.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else utc


class UsageRecorder:
    def __init__(
        self,
        db: Database,
        keys: ApiKeyStore,
        flush_interval_s: float = 0.5,
        max_buffer: int = 100_000,
    ) -> None:
        self.db = db
        self.keys = keys
        self.flush_interval_s = flush_interval_s
        self.buffer: deque[Usage] = deque(maxlen=max_buffer)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, usage: Usage) -> None:
        self.buffer.append(usage)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="usage-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.flush_interval_s)
            self._wake.clear()
            self.flush()

    def flush(self) -> int:
        batch: list[Usage] = []
        while self.buffer and len(batch) < 5000:
            batch.append(self.buffer.popleft())
        if not batch:
            return 0
        try:
            # The driver's own executemany: no ORM or Core row processing, since this runs on
            # the server's CPU beside the request path (thousands of rows a second).
            with self.db.engine.begin() as connection:
                sqlite = connection.dialect.name == "sqlite"
                mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
                connection.exec_driver_sql(
                    f"INSERT INTO usage_events (at, key_id, user_id, model_id, tier, status, duration_ms, items, "
                    f"request_id, compute_ms) VALUES ({', '.join([mark] * 10)})",
                    [
                        (
                            stored_time(u.at, sqlite),
                            u.key_id,
                            u.user_id,
                            u.model_id,
                            u.tier,
                            u.status,
                            u.duration_ms,
                            u.items,
                            u.request_id,
                            u.compute_ms,
                        )
                        for u in batch
                    ],
                )
            last_used: dict[str, datetime] = {}
            for u in batch:
                if u.key_id:
                    last_used[u.key_id] = max(u.at, last_used.get(u.key_id, u.at))
            self.keys.touch(last_used)
        except Exception:
            log.exception("writing %d usage events failed; they are kept for the next flush", len(batch))
            self.buffer.extendleft(reversed(batch))
            return 0
        return len(batch)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=10)
        while self.buffer and self.flush():
            pass
