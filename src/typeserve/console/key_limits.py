"""Each key's use against its limits and quotas, for the console's API Keys and Usage pages:
the rates that apply, and per quota what this day or month has used of it (from the stored
usage rows: successful requests, their items and compute seconds)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.limits.limiter import Limiter
from typeserve.accounts.limits.policy import QUOTA_FIELDS, RATE_FIELDS, quota_window
from typeserve.accounts.usage_report import usage_totals
from typeserve.store.database import Database

PERIODS: tuple[Literal["day", "month"], ...] = ("day", "month")
RATE_UNITS = {"requestsPerSecond": "requests/s", "requestsPerMinute": "requests/min", "itemsPerMinute": "items/min"}


@dataclass(frozen=True)
class QuotaUse:
    label: str  # "requests per day"
    used: float
    limit: float

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.limit)) if self.limit else 100


@dataclass(frozen=True)
class KeyLimits:
    rates: list[str]  # "10 requests/s (burst 20)"
    quotas: list[QuotaUse]


def key_limits(db: Database, limiter: Limiter, keys: list[KeyInfo]) -> dict[str, KeyLimits]:
    """Per key id, its effective rates and its quotas' use in the current windows."""
    now = time.time()
    windows: dict[str, dict[str, tuple[int, int, float]]] = {}
    for period in PERIODS:
        _, start, end = quota_window(now, period, limiter.window_offset_s)
        groups, _ = usage_totals(
            db, "key", datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC), user_id=None
        )
        windows[period] = {g.group: (g.requests - g.errors, g.items, g.compute_ms / 1000) for g in groups}
    shown: dict[str, KeyLimits] = {}
    for key in keys:
        limits, _ = limiter.limits_of(key)
        rates = []
        for field, _short, metric, _window in RATE_FIELDS:
            value = getattr(limits, field)
            if value is not None:
                burst = limits.itemsBurst if metric == "items" else limits.burst
                rates.append(f"{value:g} {RATE_UNITS[field]}" + (f" (burst {burst})" if burst else ""))
        quotas = []
        for field, _short, metric, period in QUOTA_FIELDS:
            value = getattr(limits, field)
            if value is None:
                continue
            requests, items, compute_s = windows[period].get(key.id, (0, 0, 0.0))
            used = {"requests": requests, "items": items, "compute": compute_s}[metric]
            name = "compute seconds" if metric == "compute" else metric
            quotas.append(QuotaUse(f"{name} per {period}", round(used, 2), value))
        shown[key.id] = KeyLimits(rates, quotas)
    return shown
