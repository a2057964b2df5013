"""Bearer API-key authentication and scope checks, as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from typeserve.accounts.keys import KeyInfo, KeyRejected
from typeserve.accounts.scopes import grants
from typeserve.errors import Problem

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="typeserve"'}


def unauthorized(detail: str) -> Problem:
    headers = {"WWW-Authenticate": f'Bearer realm="typeserve", error="invalid_token", error_description="{detail}"'}
    return Problem(401, "unauthorized", "Unauthorized", detail, headers=headers)


def authenticate(request: Request) -> KeyInfo:
    header = request.headers.get("authorization")
    if not header:
        raise Problem(
            401,
            "unauthorized",
            "Unauthorized",
            "Send an API key as 'Authorization: Bearer <key>'.",
            headers=CHALLENGE,
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("Use the Bearer scheme: 'Authorization: Bearer <key>'.")
    try:
        key: KeyInfo = request.app.state.services.keys.verify(token.strip())
    except KeyRejected as rejected:
        raise unauthorized(str(rejected)) from None
    request.state.key = key
    return key


def require_scope(scope: str) -> Callable[[Request], Awaitable[KeyInfo]]:
    async def dependency(request: Request) -> KeyInfo:
        key = authenticate(request)
        if not grants(key.scopes, scope):
            raise Problem(403, "forbidden", "Forbidden", f"This API key lacks the {scope!r} scope.")
        return key

    return dependency
