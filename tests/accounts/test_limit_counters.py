"""The two counter stores give the same verdicts step for step (the Lua script in Redis and the
in-process one), at explicit instants: GCRA rates with a burst, quotas, refunds, and nothing
charged when any rule refuses."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support.redis_server import own_redis
from typeserve.accounts.limits.counters import MemoryCounters, Verdict
from typeserve.accounts.limits.policy import Limits, rules_for
from typeserve.accounts.limits.redis_counters import RedisCounters

NOW = 1_800_000_000.0  # a fixed instant, so that both stores see the same clock


def script(counters: MemoryCounters | RedisCounters) -> list[Verdict]:
    limits = Limits(requestsPerSecond=5, burst=2, requestsPerDay=3, itemsPerMinute=10)
    rules = rules_for("key", "k1", limits, NOW, 0.0)
    request_costs = [0.0 if rule.metric == "items" else 1.0 for rule in rules]

    async def run() -> list[Verdict]:
        seen = [
            await counters.take(rules, request_costs, NOW),  # admitted
            await counters.take(rules, request_costs, NOW + 0.01),  # admitted: the burst is 2
            await counters.take(rules, request_costs, NOW + 0.02),  # refused by the rate
            await counters.take(rules, request_costs, NOW + 0.5),  # admitted: the rate refilled
            await counters.take(rules, request_costs, NOW + 1.5),  # refused by the quota of 3
        ]
        quota = next(rule for rule in rules if rule.name == "key-day")
        await counters.add([(quota, -1.0)], NOW + 1.6)  # a failed request gives its quota back
        seen.append(await counters.take(rules, request_costs, NOW + 2.0))  # admitted again
        items = [rule for rule in rules if rule.metric == "items"]
        seen.append(await counters.take(items, [8.0], NOW + 2.1))  # 8 of 10 items
        seen.append(await counters.take(items, [5.0], NOW + 2.2))  # refused: 2 left
        await counters.close()
        return seen

    return asyncio.run(run())


def test_memory_and_redis_counters_agree(tmp_path: Path) -> None:
    in_memory = script(MemoryCounters())
    with own_redis(tmp_path) as redis:
        in_redis = script(RedisCounters(redis.url))
    assert [v.denied for v in in_memory] == [None, None, 0, None, 2, None, None, 0]
    assert in_memory[2].retry_after_s == pytest_approx(0.18)
    assert [v.remaining[0] for v in in_memory][:2] == [(1, 1), (0, 1)]
    assert [v.remaining[2][0] for v in in_memory[:5]] == [2, 1, 1, 0, 0]  # the day's quota left
    for memory, shared in zip(in_memory, in_redis, strict=True):
        assert memory.denied == shared.denied
        assert memory.remaining == shared.remaining
        assert abs(memory.retry_after_s - shared.retry_after_s) < 0.002


def pytest_approx(value: float) -> object:
    import pytest

    return pytest.approx(value, abs=0.002)
