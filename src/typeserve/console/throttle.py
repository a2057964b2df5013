"""Throttling of sign-ins, per user name and per client address. An attempt is counted when
it begins, before the password is checked, so that concurrent guesses cannot all slip in
before the first failure is recorded; a successful sign-in takes its count back. After a few
failures each further attempt waits, the wait doubling with every failure (capped), and a
record is forgotten after a quiet spell.

A browser that signed in as a user before carries a signed "known device" cookie for that
user; its attempts are counted apart from everyone else's, so a stranger hammering the
user's name locks out only strangers, never the user on their own browser. Kept in memory,
per gateway."""

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
    def _keys(username: str, address: str, known_device: bool) -> list[str]:
        user = username.strip().lower()
        # A known device is not held back by strangers' failures, for that user or its address.
        return [f"known:{user}"] if known_device else [f"user:{user}", f"addr:{address}"]

    def _current(self, key: str, now: float) -> Failures | None:
        record = self._records.get(key)
        if record is not None and now - record.last > self.forget_after_s and now >= record.locked_until:
            del self._records[key]
            return None
        return record

    def begin(self, username: str, address: str, known_device: bool = False) -> float:
        """Seconds to wait before trying again (the attempt is refused), or 0: the attempt may
        go on and is counted as a failure until `succeeded` says otherwise. Synchronous, so
        the check and the count are one step on the event loop."""
        now = time.monotonic()
        keys = self._keys(username, address, known_device)
        waits = [record.locked_until - now for key in keys if (record := self._current(key, now))]
        wait = max([0.0, *waits])
        if wait > 0:
            return wait
        for key in keys:
            record = self._current(key, now) or Failures(count=0, last=now, locked_until=0.0)
            record.count += 1
            record.last = now
            free = self.free_failures_per_address if key.startswith("addr:") else self.free_failures
            if record.count >= free:
                lock = min(self.max_lock_s, self.first_lock_s * 2 ** (record.count - free))
                record.locked_until = now + lock
            self._records[key] = record
            self._records.move_to_end(key)
        while len(self._records) > self.max_entries:
            self._records.popitem(last=False)
        return 0.0

    def succeeded(self, username: str, address: str, known_device: bool = False) -> None:
        """The attempt was right: forget the user's failures and give the address its count back."""
        for key in self._keys(username, address, known_device):
            if key.startswith("addr:"):
                record = self._records.get(key)
                if record is not None:
                    record.count = max(0, record.count - 1)
                    if record.count < self.free_failures_per_address:
                        record.locked_until = 0.0
            else:
                self._records.pop(key, None)
