"""Rate limits and quotas against live servers: the 429s and their headers at the configured
rates, a quota that is exact under concurrency across two gateways on PostgreSQL and Redis,
the quota's reset, Redis stopped mid-test under each failure mode, and key revocation across
gateways."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.support.redis_server import own_redis
from tests.support.server import LiveServer
from tests.support.services import fresh_postgres_database

VADER = "/v1/ent/vader/1/sentiment"


def limited_key(server: LiveServer, limits: dict[str, object], name: str = "limited") -> str:
    with server.client() as client:
        created = client.post("/v1/apikeys", json={"name": name, "limits": limits})
    assert created.status_code == 201, created.text
    assert created.json()["limits"] == limits
    return str(created.json()["secret"])


def invoke(server: LiveServer, key: str, body: object = None) -> httpx.Response:
    with server.client(key) as client:
        return client.post(VADER, json=body if body is not None else {"input": "what a lovely day"})


def policy_names(response: httpx.Response) -> list[str]:
    return [part.split(";")[0].strip().strip('"') for part in response.headers["RateLimit-Policy"].split(",")]


def remaining(response: httpx.Response, name: str) -> int:
    for part in response.headers["RateLimit"].split(","):
        fields = part.strip().split(";")
        if fields[0].strip('"') == name:
            return int(next(f for f in fields if f.startswith("r="))[2:])
    raise AssertionError(f"no {name} in {response.headers['RateLimit']}")


def test_requests_over_the_rate_get_429_with_headers(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    key = limited_key(live, {"requestsPerMinute": 2, "burst": 3})
    answers = [invoke(live, key) for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    for answer in answers:
        assert policy_names(answer) == ["key-rpm"]
        assert answer.headers["RateLimit-Policy"] == '"key-rpm";q=2;w=60'
    assert [remaining(a, "key-rpm") for a in answers] == [2, 1, 0, 0, 0]
    refused = answers[3]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 30  # one request comes back every 30 s
    # Another key is not affected; the admin key has no limits and no limit headers.
    assert invoke(live, limited_key(live, {"requestsPerMinute": 2}, "other")).status_code == 200
    assert "RateLimit-Policy" not in invoke(live, str(live.admin_key)).headers


def test_items_per_minute_count_each_item_of_a_list(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    key = limited_key(live, {"itemsPerMinute": 10})
    first = invoke(live, key, {"input": ["good"] * 8})
    assert first.status_code == 200 and len(first.json()["results"]) == 8
    assert remaining(first, "key-items-pm") == 2
    second = invoke(live, key, {"input": ["good"] * 5})
    assert second.status_code == 429 and second.json()["code"] == "rate_limited"
    assert "items per minute" in second.json()["detail"]
    assert invoke(live, key, {"input": ["fine", "ok"]}).status_code == 200


def test_defaults_from_settings_and_cli_overrides(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(env={"TYPESERVE_KEY_LIMITS": json.dumps({"requestsPerMinute": 1})})
    with live.client() as client:
        default_key = client.post("/v1/apikeys", json={"name": "default"}).json()["secret"]
    assert [invoke(live, default_key).status_code for _ in range(2)] == [200, 429]
    # The key's own rate replaces the default one; its quota comes on top.
    made = live.cli("keys", "create", "--name", "fast", "--rate", "10/min", "--quota", "3/day")
    fast_key = made.stdout.strip().splitlines()[-1]
    answers = [invoke(live, fast_key) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["code"] == "quota_exceeded"
    assert answers[0].headers["RateLimit-Policy"] == '"key-rpm";q=10;w=60, "key-day";q=3;w=86400'


def test_user_limits_cover_all_of_the_users_keys(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    with live.client() as client:
        assert client.put("/v1/users/admin/limits", json={"requestsPerDay": 3}).status_code == 200
        keys = [client.post("/v1/apikeys", json={"name": f"k{i}"}).json()["secret"] for i in range(2)]
    time.sleep(1.2)  # the key cache's TTL: user limits are read with the key
    codes = [invoke(live, keys[i % 2]).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert invoke(live, keys[0]).json()["code"] == "quota_exceeded"


RESET_IN_S = 20


def server_whose_quota_day_ends_soon(make_server: Callable[..., LiveServer]) -> tuple[LiveServer, float]:
    """A server whose quota day (quota_day_offset_s, a billing day) ends RESET_IN_S after its
    start was asked for, with at least 8 s of that day left once it is ready; a machine too busy
    to start it in time gets another try."""
    for _ in range(4):
        day_ends = time.time() + RESET_IN_S
        live = make_server(env={"TYPESERVE_QUOTA_DAY_OFFSET_S": str(day_ends % 86_400)})
        if day_ends - time.time() >= 8:
            return live, day_ends
        live.stop()
    pytest.fail("the server never started with 8 s of its quota day left")


def test_quota_resets_when_its_day_ends(make_server: Callable[..., LiveServer]) -> None:
    live, day_ends = server_whose_quota_day_ends_soon(make_server)
    key = limited_key(live, {"requestsPerDay": 2})
    assert [invoke(live, key).status_code for _ in range(2)] == [200, 200]
    refused = invoke(live, key)
    assert refused.status_code == 429 and refused.json()["code"] == "quota_exceeded"
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= RESET_IN_S
    assert refused.headers["RateLimit-Reset-At"].endswith("Z")
    time.sleep(max(0.0, day_ends - time.time()) + 1)
    renewed = invoke(live, key)
    assert renewed.status_code == 200
    assert remaining(renewed, "key-day") == 1


async def spread(urls: list[str], key: str, total: int) -> Counter[int]:
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(timeout=120, limits=limits, headers={"Authorization": f"Bearer {key}"}) as client:
        answers = await asyncio.gather(
            *(client.post(urls[i % len(urls)] + VADER, json={"input": f"request {i}"}) for i in range(total))
        )
    assert all(a.status_code == 200 or a.json()["code"] == "quota_exceeded" for a in answers)
    return Counter(a.status_code for a in answers)


def test_quota_is_exact_across_two_gateways(make_server: Callable[..., LiveServer], tmp_path: Path) -> None:
    with fresh_postgres_database() as url, own_redis(tmp_path) as redis:
        env = {"TYPESERVE_DATABASE_URL": url, "TYPESERVE_REDIS_URL": redis.url}
        first = make_server(env=env)
        second = make_server(env=env)
        key = limited_key(first, {"requestsPerDay": 50})
        for gateway in (first, second):  # warm both up, so the race is the limiter's alone
            assert invoke(gateway, str(first.admin_key)).status_code == 200
        outcome = asyncio.run(spread([first.base_url, second.base_url], key, 200))
        assert outcome == Counter({200: 50, 429: 150})
        first.stop()
        second.stop()


@pytest.mark.parametrize("mode", ["open", "closed"])
def test_redis_stopped_mid_test(make_server: Callable[..., LiveServer], tmp_path: Path, mode: str) -> None:
    with own_redis(tmp_path) as redis:
        live = make_server(env={"TYPESERVE_REDIS_URL": redis.url, "TYPESERVE_LIMITS_FAILURE_MODE": mode})
        key = limited_key(live, {"requestsPerMinute": 100})
        counted = invoke(live, key)
        assert counted.status_code == 200 and remaining(counted, "key-rpm") == 99
        redis.stop()
        during = [invoke(live, key) for _ in range(3)]
        if mode == "open":
            assert [a.status_code for a in during] == [200, 200, 200]
            assert all("unenforced" in a.headers["RateLimit-Status"] for a in during)
        else:
            assert [a.status_code for a in during] == [503, 503, 503]
            assert {a.json()["code"] for a in during} == {"limits_unavailable"}
            assert all(a.headers["Retry-After"] for a in during)
        with live.client() as client:
            assert client.get("/healthz").status_code == 200
            assert client.get("/v1/models").status_code == 200
        redis.start()  # a fresh, empty Redis on the same port
        time.sleep(1.2)  # the limiter tries a Redis that was down again after a second
        after = invoke(live, key)
        assert after.status_code == 200 and "RateLimit-Status" not in after.headers
        assert remaining(after, "key-rpm") == 99
        live.stop()


def test_revocation_reaches_another_gateway_at_once(make_server: Callable[..., LiveServer], tmp_path: Path) -> None:
    with fresh_postgres_database() as url, own_redis(tmp_path) as redis:
        # A long key cache on the second gateway: only the published event can tell it in time.
        env = {"TYPESERVE_DATABASE_URL": url, "TYPESERVE_REDIS_URL": redis.url}
        first = make_server(env=env)
        second = make_server(env={**env, "TYPESERVE_KEY_CACHE_TTL_S": "60"})
        with first.client() as client:
            created = client.post("/v1/apikeys", json={"name": "soon revoked"}).json()
        assert invoke(second, created["secret"]).status_code == 200  # now cached on the second
        with first.client() as client:
            assert client.delete(f"/v1/apikeys/{created['id']}").status_code == 200
        deadline = time.monotonic() + 0.5
        while invoke(second, created["secret"]).status_code != 401:
            assert time.monotonic() < deadline, "the second gateway still accepts a revoked key"
            time.sleep(0.02)
        first.stop()
        second.stop()
