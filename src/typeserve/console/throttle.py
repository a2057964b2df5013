"""Throttling of failed sign-ins, per user name and per client address: after a few failures
each further attempt waits, the wait doubling with every failure (capped), and the record is
forgotten after a quiet spell or a successful sign-in. Kept in memory, per gateway."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class Failures:
    count: int
    last: float
    locked_until: float


class SignInThrottle:
    def __init__(
        self,
        free_failures: int = 5,
        free_failures_per_address: int = 30,
        first_lock_s: float = 30.0,
        max_lock_s: float = 900.0,
        forget_after_s: float = 900.0,
        max_entries: int = 10_000,
    ) -> None:
        self.free_failures = free_failures
        self.free_failures_per_address = free_failures_per_address
        self.first_lock_s = first_lock_s
        self.max_lock_s = max_lock_s
        self.forget_after_s = forget_after_s
        self.max_entries = max_entries
        self._records: OrderedDict[str, Failures] = OrderedDict()

    @staticmethod
    def _keys(username: str, address: str) -> list[str]:
        return [f"user:{username.strip().lower()}", f"addr:{address}"]

    def _current(self, key: str, now: float) -> Failures | None:
        record = self._records.get(key)
        if record is not None and now - record.last > self.forget_after_s and now >= record.locked_until:
            del self._records[key]
            return None
        return record

    def wait_s(self, username: str, address: str) -> float:
        """Seconds until another attempt is allowed (0 when it is allowed now)."""
        now = time.monotonic()
        waits = [
            record.locked_until - now for key in self._keys(username, address) if (record := self._current(key, now))
        ]
        return max([0.0, *waits])

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        for key in self._keys(username, address):
            record = self._current(key, now) or Failures(count=0, last=now, locked_until=0.0)
            record.count += 1
            record.last = now
            free = self.free_failures if key.startswith("user:") else self.free_failures_per_address
            if record.count >= free:
                lock = min(self.max_lock_s, self.first_lock_s * 2 ** (record.count - free))
                record.locked_until = now + lock
            self._records[key] = record
            self._records.move_to_end(key)
        while len(self._records) > self.max_entries:
            self._records.popitem(last=False)

    def succeeded(self, username: str) -> None:
        self._records.pop(self._keys(username, "")[0], None)
