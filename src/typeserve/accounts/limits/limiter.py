"""Admitting an invocation against its key's and its user's limits, and settling what it used.
`admit` charges one request before the body is read; `Admission.charge_items` charges the
items once the input's size is known; `settle` adds the compute time the
engine measured and gives a failed request's quota back, off the request path. When the shared
counters are down, the operator's failure mode decides: let the request through, saying so
(`open`), or refuse it with a 503 (`closed`)."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from typeserve.accounts.limits.counters import Counters, LimitStoreDown, MemoryCounters, Verdict
from typeserve.accounts.limits.policy import Limits, Rule, rules_for
from typeserve.errors import Problem, limits_unavailable, quota_exceeded, rate_limited

if TYPE_CHECKING:
    from typeserve.accounts.keys import KeyInfo

log = logging.getLogger("typeserve.limits")
SETTLE_INTERVAL_S = 0.05
UNENFORCED = "limit store unreachable; this request was not counted (fail-open)"


@dataclass
class Admission:
    """What one invocation was charged, for its headers and its settlement."""

    limiter: Limiter | None
    rules: list[Rule]
    verdict: Verdict | None = None
    unenforced: str | None = None  # why the limits were not enforced (fail-open), if they were not
    charged: bool = False  # whether the counters took this request (then settle adjusts them)
    items_charged: int = 0

    async def admit(self) -> None:
        """Charge one request (items and compute time are only checked: a used-up quota
        refuses); raises a 429 Problem when a limit or quota refuses it, a 503 when the
        counters are down and the failure mode is `closed`."""
        if self.limiter is None or not self.rules:
            return
        costs = [1.0 if rule.metric == "requests" else 0.0 for rule in self.rules]
        self.charged = await self.limiter.take(self.rules, costs, self) is not None

    async def charge_items(self, count: int) -> None:
        """Charge the items of the input (a list of 64 is 64), once its size is known."""
        if self.limiter is None or not self.charged:
            return
        item_rules = [rule for rule in self.rules if rule.metric == "items"]
        if not item_rules:
            return
        if await self.limiter.take(item_rules, [float(count)] * len(item_rules), self) is not None:
            self.items_charged = count

    def record(self, rules: list[Rule], verdict: Verdict) -> None:
        """Keep what the counters said about `rules` (all of this admission's, or some)."""
        if rules is self.rules or self.verdict is None:
            self.verdict = verdict if rules is self.rules else None
            return
        positions = {rule.counter: i for i, rule in enumerate(self.rules)}
        merged = list(self.verdict.remaining)
        for rule, left in zip(rules, verdict.remaining, strict=True):
            merged[positions[rule.counter]] = left
        self.verdict = Verdict(None, 0.0, merged)


class Limiter:
    def __init__(
        self,
        counters: Counters | None = None,
        *,
        key_defaults: Limits | None = None,
        user_defaults: Limits | None = None,
        failure_mode: Literal["open", "closed"] = "open",
        window_offset_s: float = 0.0,
    ) -> None:
        self.counters: Counters = counters or MemoryCounters()
        self.key_defaults = key_defaults or Limits()
        self.user_defaults = user_defaults or Limits()
        self.failure_mode = failure_mode
        self.window_offset_s = window_offset_s
        self._merged: dict[tuple[str, int | None], tuple[KeyInfo, Limits, Limits]] = {}
        self._rules: dict[tuple[str, int | None], tuple[KeyInfo, float, list[Rule]]] = {}
        self._pending: list[tuple[Rule, float]] = []
        self._settling: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()

    def limits_of(self, key: KeyInfo) -> tuple[Limits, Limits]:
        """The key's and its user's effective limits (overrides over the settings' defaults)."""
        cache_key = (key.id, key.user_id)
        cached = self._merged.get(cache_key)
        if cached is not None and cached[0] is key:
            return cached[1], cached[2]
        key_limits = (key.limits or Limits()).over(self.key_defaults)
        user_limits = (key.user_limits or Limits()).over(self.user_defaults)
        if len(self._merged) > 100_000:
            self._merged.clear()
        self._merged[cache_key] = (key, key_limits, user_limits)
        return key_limits, user_limits

    def rules(self, key: KeyInfo, now: float) -> list[Rule]:
        """The key's and user's rules; the same list until the key's info or a quota window
        changes (the hot path builds none)."""
        cache_key = (key.id, key.user_id)
        cached = self._rules.get(cache_key)
        if cached is not None and cached[0] is key and now < cached[1]:
            return cached[2]
        key_limits, user_limits = self.limits_of(key)
        rules = [] if key.session else rules_for("key", key.id, key_limits, now, self.window_offset_s)
        if key.user_id is not None:
            rules += rules_for("user", str(key.user_id), user_limits, now, self.window_offset_s)
        until = min((rule.window_end for rule in rules if rule.kind == "quota"), default=float("inf"))
        if len(self._rules) > 100_000:
            self._rules.clear()
        self._rules[cache_key] = (key, until, rules)
        return rules

    def admission(self, key: KeyInfo) -> Admission:
        """The rules this key's invocation is checked against; nothing charged yet."""
        return Admission(self, self.rules(key, time.time()))

    async def take(self, rules: list[Rule], costs: list[float], admission: Admission) -> Verdict | None:
        try:
            verdict = await self.counters.take(rules, costs, time.time())
        except LimitStoreDown:
            if self.failure_mode == "closed":
                raise limits_unavailable(
                    "The rate-limit store is unreachable and this server refuses requests it cannot count "
                    "(fail-closed); try again shortly."
                ) from None
            admission.unenforced = UNENFORCED
            return None
        admission.record(rules, verdict)
        if verdict.denied is not None:
            raise refusal(rules, verdict)
        return verdict

    def settle(self, admission: Admission, succeeded: bool, compute_s: float) -> None:
        """After the answer: add the compute time; a failed request's quota is given back."""
        if not admission.charged:
            return
        for rule in admission.rules:
            if rule.kind != "quota":
                continue
            if rule.metric == "compute" and compute_s > 0:
                self._pending.append((rule, compute_s * 1000))
            elif not succeeded and rule.metric == "requests":
                self._pending.append((rule, -1.0))
            elif not succeeded and rule.metric == "items":
                self._pending.append((rule, -float(admission.items_charged)))
        if self._pending and self._settling is None:
            self._settling = asyncio.get_running_loop().call_later(SETTLE_INTERVAL_S, self._start_settling)

    def _start_settling(self) -> None:
        self._settling = None
        task = asyncio.ensure_future(self.flush())
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def flush(self) -> None:
        changes, self._pending = self._pending, []
        if not changes:
            return
        try:
            await self.counters.add(changes, time.time())
        except LimitStoreDown:
            log.warning("dropped %d quota adjustments: the limit store is unreachable", len(changes))

    async def close(self) -> None:
        await self.flush()
        await self.counters.close()


def refusal(rules: list[Rule], verdict: Verdict) -> Problem:
    assert verdict.denied is not None
    rule = rules[verdict.denied]
    wait = max(1, int(-(-verdict.retry_after_s // 1)))  # whole seconds, rounded up
    who = "API key" if rule.name.startswith("key-") else "user"
    if rule.kind == "quota":
        reset = datetime.fromtimestamp(rule.window_end, UTC).isoformat().replace("+00:00", "Z")
        compute = rule.metric == "compute"
        amount = f"{rule.limit / 1000:g} compute seconds" if compute else f"{rule.limit:g} {rule.metric}"
        period = "month" if rule.name.endswith("month") else "day"
        detail = f"This {who}'s quota of {amount} per {period} is used up; it resets at {reset}."
        return quota_exceeded(detail, wait, reset)
    unit = "second" if rule.window_s == 1 else "minute"
    detail = f"This {who} is limited to {rule.limit:g} {rule.metric} per {unit} (burst {rule.burst:g})"
    if rule.metric == "items" and wait > rule.window_s:
        detail += "; this list is larger than the burst: send smaller lists"
    return rate_limited("rate_limited", "Too many requests", f"{detail}; retry in {wait} s.", wait)
