"""Deadlines on reading a request, so that a client that stalls cannot hold a connection and
its memory forever: the header block must arrive within `header_timeout_s` of the
connection (or of the previous answer on a kept-alive one), and each part of the body within
`body_timeout_s` of the last, the whole body within `body_deadline_s`. A stalled header is
answered 408 and closed by the HTTP protocol (uvicorn has no such timer); a stalled body
becomes a 408 problem+json from the route that was reading it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from typeserve.errors import request_timeout

_LATE_HEADERS = (
    b'{"type":"about:blank","title":"Request timeout","status":408,"code":"request_timeout",'
    b'"detail":"The request headers did not arrive in time."}'
)
HEADER_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\nconnection: close\r\n"
    + f"content-length: {len(_LATE_HEADERS)}\r\n\r\n".encode()
    + _LATE_HEADERS
)


class BodyDeadlines:
    """ASGI middleware: `receive` raises a 408 Problem when the body stalls."""

    def __init__(self, app: ASGIApp, body_timeout_s: float, body_deadline_s: float) -> None:
        self.app = app
        self.body_timeout_s = body_timeout_s
        self.body_deadline_s = body_deadline_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.body_deadline_s
        complete = False

        async def receive_within_deadline() -> Message:
            nonlocal complete
            if complete:  # after the body only a disconnect can come: wait as long as it takes
                return await receive()
            wait = min(self.body_timeout_s, deadline - time.monotonic())
            try:
                async with asyncio.timeout(max(wait, 0.0)):
                    message = await receive()
            except TimeoutError:
                complete = True
                raise request_timeout(
                    f"The request body did not arrive in time (each part within {self.body_timeout_s:g} s, "
                    f"all of it within {self.body_deadline_s:g} s)."
                ) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        await self.app(scope, receive_within_deadline, send)


def header_deadline_protocol(header_timeout_s: float) -> type[asyncio.Protocol] | str:
    """uvicorn's httptools protocol with a header deadline ("auto" where httptools is missing;
    h11 then still bounds the header's size)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return "auto"

    class HeaderDeadlineProtocol(HttpToolsProtocol):
        header_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self.header_timer is None:
                self.header_timer = self.loop.call_later(header_timeout_s, self._headers_late)

        def _disarm(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _headers_late(self) -> None:
            self.header_timer = None
            if not self.transport.is_closing():
                self.transport.write(HEADER_TIMEOUT_ANSWER)
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderDeadlineProtocol
