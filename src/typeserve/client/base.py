"""What the sync and the async client share: settings (base URL, key, timeout, retries), the
headers and URLs of a call, and turning an answer into JSON or a typed exception."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from typeserve import __version__
from typeserve.client.errors import ApiError, error_from_response
from typeserve.client.retry import RetryPolicy, parse_retry_after

DEFAULT_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Invocation:
    """One answered call: the JSON body and what the response headers say about it."""

    body: Any
    model_id: str | None
    tier: str | None
    request_id: str | None
    server_timing: str | None

    @classmethod
    def from_response(cls, response: httpx.Response) -> Invocation:
        headers = response.headers
        return cls(
            body=response.json(),
            model_id=headers.get("x-model-id"),
            tier=headers.get("x-service-tier"),
            request_id=headers.get("x-request-id"),
            server_timing=headers.get("server-timing"),
        )


class ClientBase:
    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        tier: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # Like the samples and the CLI: the key may come from the environment.
        self.api_key = api_key if api_key is not None else os.environ.get("TYPESERVE_API_KEY")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.tier = tier

    def _headers(self) -> dict[str, str]:
        headers = {"User-Agent": f"typeserve-python/{__version__}", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def _invoke_request(
        self, model: str, payload: Any, tier: str | None, content: bytes | None, content_type: str | None
    ) -> dict[str, Any]:
        """The keyword arguments of `httpx.Client.request` for one invocation."""
        params = {"serviceTier": tier or self.tier} if (tier or self.tier) else {}
        request: dict[str, Any] = {"method": "POST", "url": f"/v1/ent/{quote(model, safe='/')}", "params": params}
        if content is not None:
            request["content"] = content
            request["headers"] = {"Content-Type": content_type or "application/octet-stream"}
        else:
            request["json"] = payload
        return request

    @staticmethod
    def _retry_after(response: httpx.Response) -> float | None:
        return parse_retry_after(response.headers.get("retry-after"))

    def _checked(self, response: httpx.Response, attempts: int) -> httpx.Response:
        if response.is_success:
            return response
        raise self._error(response, attempts)

    def _error(self, response: httpx.Response, attempts: int) -> ApiError:
        return error_from_response(response, self._retry_after(response), attempts)

    @staticmethod
    def _model_query(type: str | None, q: str | None, vendor: str | None) -> dict[str, str]:
        return {name: value for name, value in (("type", type), ("q", q), ("vendor", vendor)) if value is not None}
