"""Usage metering off the request path: a request appends its usage to the journal (durable
across a crash of the process, see usage_journal.py) and to an in-memory buffer; a background
thread writes the buffer in batches (and updates keys' last-used times), then drops the
journal segments it has written, so no request waits on the database. Events still buffered
at shutdown are flushed, and journal segments of a process that died are replayed at start."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from typeserve.accounts.keys import ApiKeyStore
from typeserve.accounts.usage_journal import UsageJournal
from typeserve.store.database import Database
from typeserve.store.tables import utcnow

log = logging.getLogger("typeserve.usage")

COLUMNS = "at, key_id, user_id, model_id, tier, status, duration_ms, items, request_id"
INSERT_CHUNK = 5000


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
    at: datetime = field(default_factory=utcnow)

    def row(self) -> tuple[Any, ...]:
        """The values of COLUMNS, in order."""
        return (
            self.at,
            self.key_id,
            self.user_id,
            self.model_id,
            self.tier,
            self.status,
            self.duration_ms,
            self.items,
            self.request_id,
        )


def stored_time(at: datetime, sqlite: bool) -> datetime | str:
    """As the UTCDateTime column stores it: naive UTC text on SQLite, aware UTC elsewhere."""
    utc = at.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else utc


def same_instant(at: datetime | str) -> str:
    """A stored or journaled time as comparable text (SQLite hands back its stored text)."""
    return at if isinstance(at, str) else str(stored_time(at, sqlite=True))


class UsageRecorder:
    def __init__(
        self,
        db: Database,
        keys: ApiKeyStore,
        flush_interval_s: float = 0.5,
        journal_dir: Path | None = None,
    ) -> None:
        self.db = db
        self.keys = keys
        self.flush_interval_s = flush_interval_s
        self.journal = UsageJournal(journal_dir) if journal_dir is not None else None
        self.buffer: list[tuple[Any, ...]] = []
        # Rows taken from the buffer but not yet in the database, and the segments holding them.
        self._pending: list[tuple[Any, ...]] = []
        self._pending_segments: list[Path] = []
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, usage: Usage) -> None:
        row = usage.row()
        with self._lock:
            if self.journal is not None:
                try:
                    self.journal.append(row)
                except OSError:
                    log.exception("appending to the usage journal failed; the row is kept in memory")
            self.buffer.append(row)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="usage-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self.replay()
        while not self._stop.is_set():
            self._wake.wait(self.flush_interval_s)
            self._wake.clear()
            self.flush()

    def replay(self) -> int:
        """Insert the rows of segments left by a process that died, then delete the segments."""
        if self.journal is None:
            return 0
        replayed = 0
        for path, rows in self.journal.leftovers():
            try:
                fresh = self._not_yet_stored(rows)
                self._insert(fresh)
            except Exception:
                log.exception("replaying the usage journal segment %s failed; it is kept", path.name)
                continue
            self.journal.discard([path])
            replayed += len(fresh)
        if replayed:
            log.info("replayed %d usage events from the journal", replayed)
        return replayed

    def _not_yet_stored(self, rows: list[Any]) -> list[Any]:
        """Rows whose (request id, time) the database lacks: experiments share one request id."""
        ids = list({row[8] for row in rows if row[8]})
        if not ids:
            return rows
        stored: set[tuple[str, str]] = set()
        with self.db.engine.connect() as connection:
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                result = connection.exec_driver_sql(
                    f"SELECT request_id, at FROM usage_events WHERE request_id IN ({', '.join([mark] * len(chunk))})",
                    tuple(chunk),
                )
                stored.update((request_id, same_instant(at)) for request_id, at in result)
        return [row for row in rows if not row[8] or (row[8], same_instant(row[0])) not in stored]

    def _insert(self, rows: list[Any]) -> None:
        if not rows:
            return
        # The driver's own executemany: no ORM or Core row processing, since this runs on
        # the server's CPU beside the request path (thousands of rows a second).
        with self.db.engine.begin() as connection:
            sqlite = connection.dialect.name == "sqlite"
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            statement = f"INSERT INTO usage_events ({COLUMNS}) VALUES ({', '.join([mark] * 9)})"
            for start in range(0, len(rows), INSERT_CHUNK):
                chunk = rows[start : start + INSERT_CHUNK]
                connection.exec_driver_sql(statement, [(stored_time(r[0], sqlite), *r[1:]) for r in chunk])
        last_used: dict[str, datetime] = {}
        for row in rows:
            if row[1]:
                last_used[row[1]] = max(row[0], last_used.get(row[1], row[0]))
        self.keys.touch(last_used)

    def flush(self) -> int:
        """Write what was recorded so far; the number of rows written (0 on failure: kept)."""
        with self._flushing:
            with self._lock:
                if self.buffer:
                    self._pending.extend(self.buffer)
                    self.buffer = []
                    if self.journal is not None:
                        self._pending_segments.append(self.journal.rotate())
            if not self._pending:
                return 0
            try:
                self._insert(self._pending)
            except Exception:
                log.exception("writing %d usage events failed; they are kept for the next flush", len(self._pending))
                return 0
            written = len(self._pending)
            self._pending = []
            if self.journal is not None:
                self.journal.discard(self._pending_segments)
            self._pending_segments = []
            return written

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=10)
        self.flush()
        if self.journal is not None:
            with self._lock:
                self.journal.close()
