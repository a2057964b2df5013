"""Which key ids exist, so that a key nobody issued is refused without a database round trip:
a snapshot of every key id (one query), refreshed at most once per interval. Guessing keys
then costs one query per interval, however many guesses are sent. Past `max_ids` keys the
snapshot is dropped for a bounded negative cache of ids recently found unknown."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable


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
        self._lock = threading.Lock()

    def surely_unknown(self, key_id: str) -> bool:
        """True only when `key_id` is known not to exist (no database work is done here)."""
        now = time.monotonic()
        if self._ids is not None and now - self._loaded_at < self.refresh_s:
            return key_id not in self._ids
        seen = self._unknown.get(key_id)
        return seen is not None and now - seen < self.refresh_s

    def exists(self, key_id: str) -> bool:
        """Whether the key id exists, asking the database at most once per interval (blocking)."""
        with self._lock:
            now = time.monotonic()
            if now - self._loaded_at >= self.refresh_s:
                ids = set(self.load_ids(self.max_ids + 1))
                self._ids = ids if len(ids) <= self.max_ids else None
                self._loaded_at = now
            if self._ids is not None:
                return key_id in self._ids
        return True  # too many keys for a snapshot: the caller looks the id up itself

    def remember_unknown(self, key_id: str) -> None:
        with self._lock:
            self._unknown[key_id] = time.monotonic()
            self._unknown.move_to_end(key_id)
            while len(self._unknown) > self.max_unknown:
                self._unknown.popitem(last=False)

    def added(self, key_id: str) -> None:
        with self._lock:
            if self._ids is not None:
                self._ids.add(key_id)
            self._unknown.pop(key_id, None)
