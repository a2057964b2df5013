"""Bearer API-key authentication and scope checks, as FastAPI dependencies. A signed-in console
session (its cookie plus a matching X-CSRF-Token header) stands in for a key, so the console's
Try it calls the API as its user; Bearer keys are checked first and work unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import Request

from typeserve.accounts.keys import KeyInfo, KeyRejected
from typeserve.accounts.scopes import grants
from typeserve.accounts.sessions import CSRF_HEADER, current_user, read_session, session_key, tokens_match
from typeserve.errors import Problem, forbidden, unauthenticated

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="typeserve"'}


def unauthorized(detail: str) -> Problem:
    headers = {"WWW-Authenticate": f'Bearer realm="typeserve", error="invalid_token", error_description="{detail}"'}
    return unauthenticated(detail, headers)


def session_principal(request: Request) -> KeyInfo | None:
    """The signed-in console user as a key-like principal, or None. The CSRF header is required:
    a cookie alone would let any page the user visits call the API in their name."""
    session = read_session(request)
    if session is None or session.user_id is None:
        return None
    if not tokens_match(session.csrf, request.headers.get(CSRF_HEADER)):
        return None
    user = current_user(request, session)
    return session_key(user) if user is not None else None


async def authenticate(request: Request) -> KeyInfo:
    """The caller's key (or console session). The database is asked off the event loop, and
    only when the key cache cannot answer."""
    header = request.headers.get("authorization")
    if not header:
        principal = await asyncio.to_thread(session_principal, request)
        if principal is not None:
            request.state.key = principal
            return principal
        raise unauthenticated("Send an API key as 'Authorization: Bearer <key>'.", CHALLENGE)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("Use the Bearer scheme: 'Authorization: Bearer <key>'.")
    keys = request.app.state.services.keys
    try:
        found: KeyInfo | None = keys.cached(token.strip())
        key: KeyInfo = found if found is not None else await asyncio.to_thread(keys.verify, token.strip())
    except KeyRejected as rejected:
        raise unauthorized(str(rejected)) from None
    request.state.key = key
    return key


def require_scope(scope: str) -> Callable[[Request], Awaitable[KeyInfo]]:
    async def dependency(request: Request) -> KeyInfo:
        key = await authenticate(request)
        if not grants(key.scopes, scope):
            raise forbidden(f"This API key lacks the {scope!r} scope.")
        return key

    return dependency
