"""A circuit breaker per remote model: after a run of failures the upstream is not called for
a while, so that callers get 503 `upstream_unavailable` at once instead of each waiting for a
connection that will fail; then one trial call decides whether it closes again."""

from __future__ import annotations

import threading
import time


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 3, cooldown_s: float = 10.0) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self.failures = 0
        self.opened_at: float | None = None
        self.trial_in_flight = False
        self._lock = threading.Lock()

    def seconds_open(self) -> float | None:
        """Seconds until a trial call is let through while open; None when a call may go."""
        with self._lock:
            if self.opened_at is None:
                return None
            remaining = self.opened_at + self.cooldown_s - time.monotonic()
            if remaining > 0 or self.trial_in_flight:
                return max(remaining, 0.1)
            self.trial_in_flight = True  # half-open: this caller is the trial
            return None

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0
            self.opened_at = None
            self.trial_in_flight = False

    def failed(self) -> None:
        with self._lock:
            self.failures += 1
            self.trial_in_flight = False
            if self.opened_at is not None or self.failures >= self.failure_threshold:
                self.opened_at = time.monotonic()
