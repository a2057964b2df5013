"""The experiments API called in-process on behalf of the signed-in user: the console sends
the user's session cookie and CSRF header, exactly as the page's own JavaScript does, so
every check, limit and message is the API's own and nothing is validated twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request

from typeserve.accounts.sessions import COOKIE_NAME, CSRF_HEADER
from typeserve.console.pages import Viewer

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class ApiAnswer:
    status: int
    body: Any
    headers: httpx.Headers
    content: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def detail(self) -> str:
        """The problem's sentence (problem+json `detail`), else its title, else the status."""
        if isinstance(self.body, dict):
            for key in ("detail", "title"):
                if isinstance(self.body.get(key), str) and self.body[key]:
                    return str(self.body[key])
        return f"The request failed with status {self.status}."

    @property
    def code(self) -> str:
        return str(self.body.get("code", "")) if isinstance(self.body, dict) else ""


def answer_of(response: httpx.Response) -> ApiAnswer:
    try:
        body: Any = response.json() if "json" in response.headers.get("content-type", "") else None
    except ValueError:
        body = None
    return ApiAnswer(response.status_code, body, response.headers, response.content)


@asynccontextmanager
async def user_api(request: Request, viewer: Viewer) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on this app, in-process, signed in as the page's viewer."""
    import httpx  # imported on use: it costs the idle server noticeable memory

    transport = httpx.ASGITransport(app=request.app)
    headers = {
        "Cookie": f"{COOKIE_NAME}={request.cookies.get(COOKIE_NAME, '')}",
        CSRF_HEADER: viewer.session.csrf,
        "Accept": "application/json",
    }
    async with httpx.AsyncClient(
        transport=transport, base_url=str(request.base_url), headers=headers, timeout=120
    ) as client:
        yield client


async def api_call(request: Request, viewer: Viewer, method: str, path: str, **kwargs: Any) -> ApiAnswer:
    async with user_api(request, viewer) as client:
        return answer_of(await client.request(method, path, **kwargs))
