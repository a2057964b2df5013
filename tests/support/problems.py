"""Checking a problem+json answer as a client reads it, and the route most tests call."""

from __future__ import annotations

import httpx

VADER = "/v1/ent/vader/1/sentiment"


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail", "code", "requestId"} <= body.keys()
    assert body["status"] == status
    assert body["requestId"] == response.headers["X-Request-Id"]
    assert "Traceback" not in response.text
    if code:
        assert body["code"] == code
    return body
