"""Calls to the API a remote model fronts: the media-URL address policy on every call (the
connection goes to the checked address), the credential read from its environment variable
at call time (never stored, logged or shown), a timeout, retries with backoff on 429 and 503
that honour `Retry-After`, a circuit breaker, and the upstream's failures turned into the
gateway's own problems, never passing the upstream's body on."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from typeserve.errors import (
    ErrorKind,
    Problem,
    too_large,
    upstream_failed,
    upstream_rate_limited,
    upstream_timeout,
    upstream_unavailable,
)
from typeserve.modeltypes.media.url_fetch import parse_url, pinned_url, resolve_checked_sync
from typeserve.runtimes.remote.breaker import CircuitBreaker
from typeserve.runtimes.remote.policy import UpstreamPolicy

log = logging.getLogger("typeserve.remote")

RETRIED_STATUSES = frozenset({429, 503})


@dataclass
class UpstreamRequest:
    """One HTTP call a protocol wants made: a path under the model's URL and a body."""

    path: str = ""
    json: Any = None
    content: bytes | None = None
    files: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "POST"


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class Upstream:
    """One remote model's upstream. Safe to call from several engine threads at once."""

    def __init__(
        self,
        url: str,
        model_id: str,
        *,
        credential_env: str | None,
        policy: UpstreamPolicy,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.model_id = model_id
        self.credential_env = credential_env
        self.policy = policy
        self.breaker = breaker or CircuitBreaker()
        self.client = httpx.Client(timeout=policy.timeout_s, follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def _auth_headers(self) -> dict[str, str]:
        if not self.credential_env:
            return {}
        secret = os.environ.get(self.credential_env)
        if not secret:
            raise upstream_unavailable(
                f"The credential of {self.model_id} is read from ${self.credential_env}, which is not set.", 60
            )
        return {"Authorization": f"Bearer {secret}"}

    def _target(self, path: str) -> tuple[str, str]:
        url = self.url + path
        try:
            _, host, port = parse_url(url)
            address = resolve_checked_sync(host, port, self.policy.allow_private)
        except Problem as refusal:
            raise upstream_unavailable(f"The upstream of {self.model_id} is refused: {refusal.detail}", 60) from None
        return pinned_url(url, address)

    def send(self, request: UpstreamRequest) -> httpx.Response:
        """The upstream's 2xx answer, or a Problem that says what went wrong."""
        closed_for = self.breaker.seconds_open()
        if closed_for is not None:
            raise upstream_unavailable(
                f"The upstream of {self.model_id} failed {self.breaker.failures} times in a row; "
                f"it is not called again for {closed_for:.0f} s.",
                retry_after=max(1, round(closed_for)),
            )
        try:
            response = self._send_with_retries(request)
        except Problem as problem:
            if problem.kind in (ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT) or problem.code == "upstream_error":
                self.breaker.failed()
            else:
                self.breaker.succeeded()
            raise
        self.breaker.succeeded()
        return response

    def _send_with_retries(self, request: UpstreamRequest) -> httpx.Response:
        url, host = self._target(request.path)
        headers = {"Host": host, "User-Agent": "typeserve-remote", **request.headers, **self._auth_headers()}
        for attempt in range(self.policy.retries + 1):
            try:
                response = self.client.request(
                    request.method,
                    url,
                    json=request.json,
                    content=request.content,
                    files=request.files,
                    data=request.data,
                    headers=headers,
                )
            except httpx.TimeoutException:
                raise upstream_timeout(
                    f"The upstream of {self.model_id} gave no answer within {self.policy.timeout_s:g} s."
                ) from None
            except httpx.TransportError as exc:
                raise upstream_unavailable(
                    f"The upstream of {self.model_id} cannot be reached ({exc.__class__.__name__})."
                ) from None
            if response.status_code not in RETRIED_STATUSES or attempt == self.policy.retries:
                return self._checked(response)
            wait = retry_after_seconds(response)
            if wait is None:
                wait = self.policy.backoff_s * 2**attempt
            if wait > self.policy.max_retry_wait_s:
                return self._checked(response)
            log.info(
                "upstream of %s answered %d; retry %d of %d in %.1f s",
                self.model_id,
                response.status_code,
                attempt + 1,
                self.policy.retries,
                wait,
            )
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns on its last attempt

    def _checked(self, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if 200 <= status < 300:
            return response
        # The upstream's body is never passed on: it may hold its internals or other tenants' data.
        log.warning("upstream of %s answered HTTP %d", self.model_id, status)
        retry_after = retry_after_seconds(response)
        if status == 429:
            wait = round(retry_after) if retry_after is not None else 30
            raise upstream_rate_limited(
                f"The upstream of {self.model_id} is rate limiting this gateway; retry in {wait} s.", max(1, wait)
            )
        if status == 503:
            raise upstream_unavailable(f"The upstream of {self.model_id} is unavailable (HTTP 503).")
        if status == 504:
            raise upstream_timeout(f"The upstream of {self.model_id} timed out (HTTP 504).")
        if status == 413:
            raise too_large(f"The upstream of {self.model_id} refused the input as too large.")
        if status in (401, 403):
            raise upstream_failed(
                "upstream_auth_failed",
                "Upstream refused the credential",
                f"The upstream of {self.model_id} refused this gateway's credential.",
            )
        if status >= 500:
            raise upstream_failed(
                "upstream_error", "Upstream failed", f"The upstream of {self.model_id} failed (HTTP {status})."
            )
        raise upstream_failed(
            "upstream_rejected",
            "Upstream refused the call",
            f"The upstream of {self.model_id} refused the call (HTTP {status}).",
        )
