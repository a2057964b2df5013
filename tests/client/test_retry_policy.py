"""How long the SDK waits before a retry: Retry-After in seconds or as an HTTP date, capped;
an exponential backoff without it; only 429 and 503, only so many times."""

from __future__ import annotations

import email.utils

from typeserve.client.retry import RetryPolicy, parse_retry_after


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    now = 1_800_000_000.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == 30.0
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_delay_honours_retry_after_up_to_the_cap_else_backs_off() -> None:
    policy = RetryPolicy(max_retries=3, backoff=0.5, max_backoff=1.5, max_retry_after=10)
    assert policy.delay(1, 4.0) == 4.0
    assert policy.delay(1, 60.0) == 10
    assert [policy.delay(n, None) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]


def test_only_429_and_503_are_retried_a_bounded_number_of_times() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.should_retry(429, 1) and policy.should_retry(503, 2)
    assert not policy.should_retry(503, 3)
    assert not any(policy.should_retry(status, 1) for status in (400, 401, 404, 422, 500, 504))
