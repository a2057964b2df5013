"""The asynchronous Python SDK: `AsyncClient`, the same methods as `Client`, awaited."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import httpx

from typeserve.client.base import DEFAULT_TIMEOUT_S, ClientBase, Invocation
from typeserve.client.calls import Call, OutputT
from typeserve.client.errors import ConnectionFailed
from typeserve.client.retry import RetryPolicy
from typeserve.client.typed import AsyncTypedMethods


class AsyncClient(AsyncTypedMethods, ClientBase):
    """`async with AsyncClient(url, key) as client: await client.text_classification(...)`"""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        tier: str | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(base_url, api_key, timeout=timeout, retry=retry, tier=tier)
        self._http = http or httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def _send(self, request: dict[str, Any]) -> httpx.Response:
        headers = {**self._headers(), **request.pop("headers", {})}
        attempt = 1
        while True:
            try:
                response = await self._http.request(**request, headers=headers)
            except httpx.TransportError as exc:
                raise ConnectionFailed(f"{self.base_url}: {exc}") from exc
            if not self.retry.should_retry(response.status_code, attempt):
                return self._checked(response, attempt)
            await asyncio.sleep(self.retry.delay(attempt, self._retry_after(response)))
            attempt += 1

    async def invoke(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Any model with a JSON payload (or a raw file as `content`); answers the JSON body."""
        return (await self.invoke_detailed(model, payload, tier=tier, content=content, content_type=content_type)).body

    async def invoke_detailed(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Invocation:
        """Like `invoke`, with the tier that served the call, its request id and timings."""
        response = await self._send(self._invoke_request(model, payload, tier, content, content_type))
        return Invocation.from_response(response)

    async def _typed(self, model: str, call: Call[OutputT], tier: str | None) -> OutputT:
        return call.parse(await self.invoke(model, call.payload, tier=tier))

    async def models(self, type: str | None = None, *, q: str | None = None, vendor: str | None = None) -> list[Any]:
        """The catalog's model summaries, optionally of one type."""
        request = {"method": "GET", "url": "/v1/models", "params": self._model_query(type, q, vendor)}
        return list((await self._send(request)).json()["models"])

    async def model(self, model: str) -> Any:
        """A model's card."""
        return (await self._send({"method": "GET", "url": f"/v1/models/{model}"})).json()
