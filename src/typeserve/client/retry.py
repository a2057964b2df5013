"""When to retry: 429 and 503 answers, after the server's Retry-After (capped) or else an
exponential backoff, a bounded number of times."""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass

RETRY_STATUSES = frozenset({429, 503})


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


@dataclass(frozen=True)
class RetryPolicy:
    """`max_retries` extra attempts; waits honour Retry-After up to `max_retry_after` seconds,
    else back off `backoff * 2**n` up to `max_backoff` seconds."""

    max_retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 60.0

    def should_retry(self, status: int, attempt: int) -> bool:
        """`attempt` counts from 1 (the first try)."""
        return status in RETRY_STATUSES and attempt <= self.max_retries

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return min(self.backoff * 2 ** (attempt - 1), self.max_backoff)


NO_RETRIES = RetryPolicy(max_retries=0)
