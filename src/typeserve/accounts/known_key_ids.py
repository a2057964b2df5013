"""Refusing keys nobody issued without a database round trip each. Ordinarily an unknown key
id is looked up like any other (so a key just made by another process works at once) and
remembered as unknown for a while; once unknown ids arrive faster than GUESSES_PER_INTERVAL
per interval, someone is guessing, and a snapshot of every key id (one query, refreshed at
most once per interval) answers instead: guessing then costs a bounded number of queries per
interval however many guesses are sent, and a key made elsewhere meanwhile works within the
interval. Past `max_ids` keys there is no snapshot and only the negative cache is kept."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable

GUESSES_PER_INTERVAL = 10


class KnownKeyIds:
    def __init__(
        self,
        load_ids: Callable[[int], Iterable[str]],
        refresh_s: float,
        *,
        max_ids: int = 500_000,
        max_unknown: int = 10_000,
    ) -> None:
        self.load_ids = load_ids
        self.refresh_s = max(refresh_s, 0.05)
        self.max_ids = max_ids
        self.max_unknown = max_unknown
        self._ids: set[str] | None = None
        self._loaded_at = float("-inf")
        self._unknown: OrderedDict[str, float] = OrderedDict()
        self._recent_unknown: deque[float] = deque(maxlen=100_000)
        self._lock = threading.Lock()

    def _guessing(self, now: float) -> bool:
        while self._recent_unknown and now - self._recent_unknown[0] > self.refresh_s:
            self._recent_unknown.popleft()
        return len(self._recent_unknown) >= GUESSES_PER_INTERVAL

    def surely_unknown(self, key_id: str) -> bool:
        """True only when `key_id` is known not to exist (no database work is done here)."""
        now = time.monotonic()
        seen = self._unknown.get(key_id)
        if seen is not None and now - seen < self.refresh_s:
            return True
        ids = self._ids
        if ids is None or now - self._loaded_at >= self.refresh_s or key_id in ids or not self._guessing(now):
            return False
        self._recent_unknown.append(now)  # still guessing: stay in snapshot mode
        return True

    def may_exist(self, key_id: str) -> bool:
        """False when a snapshot, taken now if the last is stale, lacks the id while someone is
        guessing; else True (the caller looks the id up). May query the database (blocking)."""
        with self._lock:
            now = time.monotonic()
            if not self._guessing(now):
                return True
            if now - self._loaded_at >= self.refresh_s:
                ids = set(self.load_ids(self.max_ids + 1))
                self._ids = ids if len(ids) <= self.max_ids else None
                self._loaded_at = now
            if self._ids is None or key_id in self._ids:
                return True
            self._recent_unknown.append(now)
            return False

    def remember_unknown(self, key_id: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._unknown[key_id] = now
            self._unknown.move_to_end(key_id)
            while len(self._unknown) > self.max_unknown:
                self._unknown.popitem(last=False)
            self._recent_unknown.append(now)

    def added(self, key_id: str) -> None:
        with self._lock:
            if self._ids is not None:
                self._ids.add(key_id)
            self._unknown.pop(key_id, None)
