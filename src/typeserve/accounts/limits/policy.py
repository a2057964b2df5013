"""What a key or user may use: `Limits` (rates with a burst, daily and monthly quotas in
requests, items and compute seconds), how overrides fall back to the settings' defaults, and
the concrete rules one invocation is checked against."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Metric = Literal["requests", "items", "compute"]
DAY_S = 86_400


class Limits(BaseModel):
    """Limits of one key or user; an unset field falls back to the level below (key → the
    settings' key defaults; user → the settings' user defaults). The JSON names are the wire's."""

    model_config = ConfigDict(extra="forbid")

    requestsPerSecond: float | None = Field(default=None, gt=0, le=1_000_000)
    requestsPerMinute: float | None = Field(default=None, gt=0, le=60_000_000)
    itemsPerMinute: float | None = Field(default=None, gt=0, le=1_000_000_000)
    # How many requests may arrive at once (default: one second's or one minute's worth), and
    # how many items (default: one minute's worth).
    burst: int | None = Field(default=None, ge=1, le=1_000_000_000)
    itemsBurst: int | None = Field(default=None, ge=1, le=1_000_000_000)
    requestsPerDay: int | None = Field(default=None, ge=0)
    requestsPerMonth: int | None = Field(default=None, ge=0)
    itemsPerDay: int | None = Field(default=None, ge=0)
    itemsPerMonth: int | None = Field(default=None, ge=0)
    computeSecondsPerDay: float | None = Field(default=None, ge=0)
    computeSecondsPerMonth: float | None = Field(default=None, ge=0)

    def over(self, base: Limits) -> Limits:
        """These limits, with unset fields taken from `base`."""
        return base.model_copy(update=self.model_dump(exclude_none=True))

    def is_empty(self) -> bool:
        return not self.model_dump(exclude_none=True)

    def as_json(self) -> dict[str, float | int]:
        return self.model_dump(exclude_none=True)


def looser_fields(limits: Limits, defaults: Limits) -> list[str]:
    """The fields of `limits` that allow more than `defaults` (an unset default is no limit)."""
    return [
        name
        for name, value in limits.model_dump(exclude_none=True).items()
        if getattr(defaults, name) is not None and value > getattr(defaults, name)
    ]


LIMIT_FORM = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(requests?|items?|compute(?:[- ]seconds)?)?\s*/\s*(\w+)\s*$", re.IGNORECASE
)
RATE_UNITS_S = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
QUOTA_PERIODS = {"d": "Day", "day": "Day", "mo": "Month", "month": "Month"}


def parse_rate(text: str) -> dict[str, float]:
    """`10/s`, `600/min`, `6000 items/min` as a Limits field."""
    match = LIMIT_FORM.match(text)
    unit = RATE_UNITS_S.get(match.group(3).lower()) if match else None
    what = (match.group(2) or "requests").lower() if match else ""
    if not match or unit is None or what.startswith("compute"):
        raise ValueError(f"{text!r} is not a rate; write it like 10/s, 600/min or 6000 items/min")
    count = float(match.group(1))
    if count <= 0:
        raise ValueError(f"{text!r}: a rate must be above 0")
    if what.startswith("item"):
        return {"itemsPerMinute": count * 60 / unit}
    return {"requestsPerSecond": count} if unit == 1 else {"requestsPerMinute": count}


def parse_quota(text: str) -> dict[str, float]:
    """`1000/day`, `50000 items/month`, `3600 compute-seconds/month` as a Limits field."""
    match = LIMIT_FORM.match(text)
    period = QUOTA_PERIODS.get(match.group(3).lower()) if match else None
    if not match or period is None:
        raise ValueError(f"{text!r} is not a quota; write it like 1000/day, 50000 items/month or 3600 compute/month")
    what = (match.group(2) or "requests").lower()
    count = float(match.group(1))
    if what.startswith("compute"):
        return {f"computeSecondsPer{period}": count}
    return {f"{'items' if what.startswith('item') else 'requests'}Per{period}": int(count)}


@dataclass(frozen=True)
class Rule:
    """One counter an invocation is checked against. A `rate` is a GCRA (generic cell rate):
    `limit` per `window_s`, at most `burst` at once. A `quota` counts `metric` in the calendar
    window (UTC day or month, shifted by the operator's offset) that `window_start` names."""

    name: str  # the policy's name in RateLimit-Policy: "key-rps", "user-items-day", ...
    kind: Literal["rate", "quota"]
    metric: Metric
    counter: str  # the counter's storage key
    limit: float
    window_s: float
    burst: float = 0.0
    window_end: float = 0.0  # quotas: epoch seconds at which the window resets

    @property
    def interval_s(self) -> float:
        return self.window_s / self.limit

    @cached_property
    def spec(self) -> str:
        """The rule as redis_counters.TAKE reads it: kind, limit, window (or its end), burst."""
        if self.kind == "rate":
            return f"r,{self.limit!r},{self.window_s!r},{self.burst!r}"
        return f"q,{self.limit!r},{self.window_end!r},0"


def quota_window(now: float, period: Literal["day", "month"], offset_s: float) -> tuple[str, float, float]:
    """The window holding `now`: its label, start and end (epoch seconds)."""
    shifted = datetime.fromtimestamp(now - offset_s, UTC)
    if period == "day":
        start = shifted.replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + timedelta(days=1)
        label = start.strftime("%Y%m%d")
    else:
        start = shifted.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = (start + timedelta(days=32)).replace(day=1)
        label = start.strftime("%Y%m")
    return label, start.timestamp() + offset_s, end.timestamp() + offset_s


RATE_FIELDS: tuple[tuple[str, str, Metric, float], ...] = (
    ("requestsPerSecond", "rps", "requests", 1.0),
    ("requestsPerMinute", "rpm", "requests", 60.0),
    ("itemsPerMinute", "items-pm", "items", 60.0),
)
QUOTA_FIELDS: tuple[tuple[str, str, Metric, Literal["day", "month"]], ...] = (
    ("requestsPerDay", "day", "requests", "day"),
    ("requestsPerMonth", "month", "requests", "month"),
    ("itemsPerDay", "items-day", "items", "day"),
    ("itemsPerMonth", "items-month", "items", "month"),
    ("computeSecondsPerDay", "compute-day", "compute", "day"),
    ("computeSecondsPerMonth", "compute-month", "compute", "month"),
)


def rules_for(scope: str, owner: str, limits: Limits, now: float, offset_s: float) -> list[Rule]:
    """The rules of one key (`scope` "key") or user ("user")."""
    rules: list[Rule] = []
    for field, short, metric, window_s in RATE_FIELDS:
        limit = getattr(limits, field)
        if limit is None:
            continue
        given = limits.itemsBurst if metric == "items" else limits.burst
        burst = float(given) if given is not None else max(1.0, limit)
        rules.append(
            Rule(f"{scope}-{short}", "rate", metric, f"ts:rate:{scope}:{owner}:{short}", limit, window_s, burst)
        )
    for field, short, metric, period in QUOTA_FIELDS:
        limit = getattr(limits, field)
        if limit is None:
            continue
        label, start, end = quota_window(now, period, offset_s)
        counter = f"ts:quota:{scope}:{owner}:{metric}:{period}:{label}"
        scaled = limit * 1000 if metric == "compute" else limit  # compute is counted in ms
        rules.append(Rule(f"{scope}-{short}", "quota", metric, counter, scaled, end - start, window_end=end))
    return rules
