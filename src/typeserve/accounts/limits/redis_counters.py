"""Counters shared by every gateway on one Redis: one Lua script checks all of an invocation's
rules and charges them only if all pass, atomically inside Redis (no read-modify-write race
between gateways). Calls that arrive while a round trip is under way are sent together as one
pipeline when it returns (each still its own atomic script), so a busy gateway pays one round
trip per batch, not per request. While Redis cannot be reached, calls fail fast
(LimitStoreDown) for a second before it is tried again, so a dead Redis costs requests no
connect timeouts."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from typeserve.accounts.limits.counters import LimitStoreDown, Verdict
from typeserve.accounts.limits.policy import Rule

log = logging.getLogger("typeserve.limits")
RETRY_DOWN_AFTER_S = 1.0

# ARGV[1]: "now;kind,limit,window,burst,cost;..." with one spec per key (kind r: a rate with
# its window in seconds; q: a quota with its window's end), as one string so that the client
# encodes one argument, not five a rule. Mirrors counters.MemoryCounters.take; returns
# {denied rule (1-based, 0: none), retry ms, left, reset, left, reset, ...}.
TAKE = """
local now, kind, limit, window, burst, cost = nil, {}, {}, {}, {}, {}
for field in string.gmatch(ARGV[1], '[^;]+') do
  if now == nil then now = tonumber(field) else
    local k, l, w, b, c = string.match(field, '^(%a),([^,]+),([^,]+),([^,]+),([^,]+)$')
    local i = #kind + 1
    kind[i], limit[i], window[i], burst[i], cost[i] = k, tonumber(l), tonumber(w), tonumber(b), tonumber(c)
  end
end
local stored = redis.call('MGET', unpack(KEYS))
local denied, retry, base, newv, out = 0, 0, {}, {}, {}
for i = 1, #KEYS do
  local value = tonumber(stored[i])
  if kind[i] == 'r' then
    local interval = window[i] / limit[i]
    base[i] = math.max(value or now, now)
    newv[i] = base[i] + cost[i] * interval
    local wait = newv[i] - now - burst[i] * interval
    if wait > 1e-6 and denied == 0 then denied, retry = i, wait end
  else
    base[i] = value or 0
    newv[i] = base[i] + cost[i]
    local refuse
    if cost[i] > 0 then refuse = newv[i] > limit[i] else refuse = base[i] >= limit[i] end
    if refuse and denied == 0 then denied, retry = i, window[i] - now end
  end
end
for i = 1, #KEYS do
  local value = newv[i]
  if denied ~= 0 then value = base[i] end
  if kind[i] == 'r' then
    local interval = window[i] / limit[i]
    out[#out+1] = math.max(0, math.floor((burst[i] * interval - (value - now)) / interval + 1e-4))
    out[#out+1] = math.ceil(math.max(0, value - now))
  else
    out[#out+1] = math.max(0, math.floor(limit[i] - value))
    out[#out+1] = math.ceil(window[i] - now)
  end
end
if denied == 0 then
  for i = 1, #KEYS do
    if kind[i] == 'r' then
      redis.call('SET', KEYS[i], string.format('%.6f', newv[i]), 'PX', math.ceil((newv[i] - now) * 1000) + 1000)
    elseif cost[i] ~= 0 then
      redis.call('INCRBYFLOAT', KEYS[i], string.format('%.6f', cost[i]))
      redis.call('PEXPIREAT', KEYS[i], math.ceil(window[i] * 1000) + 60000)
    end
  end
end
local answer = {denied, math.ceil(retry * 1000)}
for _, v in ipairs(out) do answer[#answer+1] = v end
return answer
"""

REDIS_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


TAKE_SHA = hashlib.sha1(TAKE.encode()).hexdigest()


def bulk(part: bytes) -> bytes:
    return b"$%d\r\n%b\r\n" % (len(part), part)


EVALSHA_HEAD = bulk(b"EVALSHA") + bulk(TAKE_SHA.encode())


def evalsha_command(keys: list[str], args: list[str]) -> bytes:
    """EVALSHA of TAKE in the Redis protocol (RESP)."""
    parts = [bulk(str(len(keys)).encode()), *(bulk(k.encode()) for k in keys), *(bulk(a.encode()) for a in args)]
    return b"*%d\r\n" % (len(parts) + 2) + EVALSHA_HEAD + b"".join(parts)


Call = tuple[list[str], list[str], "asyncio.Future[Any]"]


class RedisCounters:
    def __init__(self, url: str, timeout_s: float = 1.0) -> None:
        self.client = aioredis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, health_check_interval=0
        )
        self._down_until = 0.0
        self._waiting: list[Call] = []
        self._sending = False
        self._sender: asyncio.Task[None] | None = None

    def _check_up(self) -> None:
        if time.monotonic() < self._down_until:
            raise LimitStoreDown("Redis was unreachable a moment ago")

    def _went_down(self, exc: Exception) -> LimitStoreDown:
        if time.monotonic() >= self._down_until:
            log.warning("the limit store (Redis) is unreachable: %s", exc)
        self._down_until = time.monotonic() + RETRY_DOWN_AFTER_S
        return LimitStoreDown(str(exc))

    async def _evaluate(self, keys: list[str], args: list[str]) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append((keys, args, future))
        if not self._sending:
            self._sending = True
            self._sender = asyncio.create_task(self._send_waiting())
        return await future

    async def _send_waiting(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    results = await self._pipeline(batch)
                except Exception as exc:
                    failure = self._went_down(exc)
                    for *_, future in batch:
                        if not future.done():
                            future.set_exception(failure)
                    continue
                for (*_, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(self._went_down(result))
                    else:
                        future.set_result(result)
        finally:
            self._sending = False

    async def _pipeline(self, batch: list[Call]) -> list[Any]:
        """The batch's scripts as one write and their replies in order, packed here: redis-py's
        pipeline spends more on packing than Redis spends running the script."""
        packed = b"".join(evalsha_command(keys, args) for keys, args, _ in batch)
        results = await self._send(packed, len(batch))
        if any(isinstance(r, NoScriptError) for r in results):
            await self.client.script_load(TAKE)  # a fresh (or restarted) Redis
            results = await self._send(packed, len(batch))
        return results

    async def _send(self, packed: bytes, replies: int) -> list[Any]:
        pool = self.client.connection_pool
        connection = await pool.get_connection()
        try:
            await connection.send_packed_command(packed, check_health=False)
            results: list[Any] = []
            for _ in range(replies):
                try:
                    results.append(await connection.read_response())
                except ResponseError as error:  # one script's error; the others stand
                    results.append(error)
            return results
        except BaseException:
            await connection.disconnect()  # a half-read connection is never reused
            raise
        finally:
            await pool.release(connection)

    async def take(self, rules: list[Rule], costs: list[float], now: float) -> Verdict:
        self._check_up()
        specs = ";".join(f"{rule.spec},{cost:g}" for rule, cost in zip(rules, costs, strict=True))
        args = [f"{now:.6f};{specs}"]
        answer = await self._evaluate([rule.counter for rule in rules], args)
        denied = int(answer[0])
        values = [int(v) for v in answer[2:]]
        remaining = [(values[i], values[i + 1]) for i in range(0, len(values), 2)]
        return Verdict(denied - 1 if denied else None, int(answer[1]) / 1000, remaining)

    async def add(self, changes: list[tuple[Rule, float]], now: float) -> None:
        if not changes:
            return
        self._check_up()
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                for rule, amount in changes:
                    pipe.incrbyfloat(rule.counter, amount)
                    pipe.pexpireat(rule.counter, int(rule.window_end * 1000) + 60_000)
                await pipe.execute()
        except (*REDIS_FAILURES, RedisError) as exc:
            raise self._went_down(exc) from exc

    async def close(self) -> None:
        await self.client.aclose()
