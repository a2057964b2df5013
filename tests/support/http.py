"""Helpers for tests that call the HTTP API: model URLs, base64 bodies, problem+json checks."""

from __future__ import annotations

import base64

import httpx

VADER = "/v1/ent/vader/1/sentiment"
FACES = "/v1/ent/opencv/1/haarcascade-frontalface"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


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
