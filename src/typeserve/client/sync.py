"""The synchronous Python SDK: `Client(base_url, api_key)` with one typed method per model type."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

import httpx

from typeserve.client.base import DEFAULT_TIMEOUT_S, ClientBase, Invocation
from typeserve.client.calls import Call, OutputT
from typeserve.client.errors import ConnectionFailed
from typeserve.client.retry import RetryPolicy
from typeserve.client.typed import TypedMethods


class Client(TypedMethods, ClientBase):
    """`with Client("http://127.0.0.1:8000", api_key) as client: client.text_classification(...)`"""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        tier: str | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(base_url, api_key, timeout=timeout, retry=retry, tier=tier)
        self._http = http or httpx.Client(base_url=self.base_url, timeout=timeout)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, request: dict[str, Any]) -> httpx.Response:
        headers = {**self._headers(), **request.pop("headers", {})}
        attempt = 1
        while True:
            try:
                response = self._http.request(**request, headers=headers)
            except httpx.TransportError as exc:
                raise ConnectionFailed(f"{self.base_url}: {exc}") from exc
            if not self.retry.should_retry(response.status_code, attempt):
                return self._checked(response, attempt)
            time.sleep(self.retry.delay(attempt, self._retry_after(response)))
            attempt += 1

    def invoke(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Any model with a JSON payload (or a raw file as `content`); answers the JSON body."""
        return (self.invoke_detailed(model, payload, tier=tier, content=content, content_type=content_type)).body

    def invoke_detailed(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Invocation:
        """Like `invoke`, with the tier that served the call, its request id and timings."""
        response = self._send(self._invoke_request(model, payload, tier, content, content_type))
        return Invocation.from_response(response)

    def _typed(self, model: str, call: Call[OutputT], tier: str | None) -> OutputT:
        return call.parse(self.invoke(model, call.payload, tier=tier))

    def models(self, type: str | None = None, *, q: str | None = None, vendor: str | None = None) -> list[Any]:
        """The catalog's model summaries, optionally of one type."""
        request = {"method": "GET", "url": "/v1/models", "params": self._model_query(type, q, vendor)}
        return list((self._send(request)).json()["models"])

    def model(self, model: str) -> Any:
        """A model's card."""
        return (self._send({"method": "GET", "url": f"/v1/models/{model}"})).json()
