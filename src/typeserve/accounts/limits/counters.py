"""The counters rules are checked against, and the in-process implementation (one gateway).
`take` checks every rule first and charges them only if all pass, in one step that nothing
else interleaves with (the event loop runs it without awaiting), so concurrency cannot slip
past a limit. The Redis implementation (redis_counters.py) does the same in one Lua script."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from typeserve.accounts.limits.policy import Rule


@dataclass(frozen=True)
class Verdict:
    """The outcome of `take`: the first rule that refused (None: admitted), how long until it
    would admit, and per rule what is left and in how many seconds it is whole again."""

    denied: int | None
    retry_after_s: float
    remaining: list[tuple[int, int]]


class LimitStoreDown(Exception):
    """The shared counters (Redis) cannot be reached."""


class Counters(Protocol):
    async def take(self, rules: list[Rule], costs: list[float], now: float) -> Verdict: ...

    async def add(self, changes: list[tuple[Rule, float]], now: float) -> None:
        """Add to quota counters after the fact: compute time, refunds (negative)."""
        ...

    async def close(self) -> None: ...


def left_and_reset(rule: Rule, value: float, now: float) -> tuple[int, int]:
    """What a counter at `value` leaves, and seconds until it is whole again."""
    if rule.kind == "rate":
        interval = rule.interval_s
        # Epoch seconds as floats are coarse (about 1e-7): tolerate that much.
        left = math.floor((rule.burst * interval - (value - now)) / interval + 1e-4)
        return max(0, left), math.ceil(max(0.0, value - now))
    return max(0, math.floor(rule.limit - value)), math.ceil(rule.window_end - now)


def quota_refuses(used: float, rule: Rule, cost: float) -> bool:
    # A cost of 0 (compute time, known only afterwards) is refused once the quota is used up.
    return used + cost > rule.limit if cost > 0 else used >= rule.limit


class MemoryCounters:
    """Counters in this process's memory; counters past their window are dropped when read."""

    def __init__(self) -> None:
        self.values: dict[str, float] = {}
        self.expiry: dict[str, float] = {}

    def _get(self, counter: str, now: float) -> float | None:
        end = self.expiry.get(counter)
        if end is not None and end <= now:
            self.values.pop(counter, None)
            self.expiry.pop(counter, None)
        return self.values.get(counter)

    async def take(self, rules: list[Rule], costs: list[float], now: float) -> Verdict:
        # Step for step what redis_counters.TAKE does.
        denied: int | None = None
        retry = 0.0
        bases: list[float] = []
        news: list[float] = []
        for index, (rule, cost) in enumerate(zip(rules, costs, strict=True)):
            stored = self._get(rule.counter, now)
            if rule.kind == "rate":  # GCRA: the counter is the theoretical arrival time
                base = max(stored or now, now)
                new = base + cost * rule.interval_s
                wait = new - now - rule.burst * rule.interval_s
                refused = wait > 1e-6
            else:
                base = stored or 0.0
                new = base + cost
                refused, wait = quota_refuses(base, rule, cost), rule.window_end - now
            if refused and denied is None:
                denied, retry = index, wait
            bases.append(base)
            news.append(new)
        values = news if denied is None else bases
        remaining = [left_and_reset(rule, value, now) for rule, value in zip(rules, values, strict=True)]
        if denied is None:
            for rule, value in zip(rules, news, strict=True):
                self.values[rule.counter] = value
                self.expiry[rule.counter] = rule.window_end if rule.kind == "quota" else value + 1
        return Verdict(denied, retry, remaining)

    async def add(self, changes: list[tuple[Rule, float]], now: float) -> None:
        for rule, amount in changes:
            current = self._get(rule.counter, now) or 0.0
            self.values[rule.counter] = max(0.0, current + amount)
            self.expiry[rule.counter] = rule.window_end

    async def close(self) -> None:
        self.values.clear()
