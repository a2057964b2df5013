"""GET/PUT /v1/users/{name}/limits: a user's rate limits and quotas (over all their keys),
for admin keys only."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.limits.policy import Limits
from typeserve.accounts.scopes import Scope
from typeserve.accounts.users import set_user_limits, user_limits
from typeserve.api.auth import require_scope
from typeserve.api.responses import json_response
from typeserve.errors import not_found
from typeserve.services import Services

router = APIRouter()
admin_only = require_scope(Scope.ADMIN.value)


@router.get("/v1/users/{name}/limits")
async def get_user_limits(name: str, request: Request, _: KeyInfo = Depends(admin_only)) -> Response:
    services: Services = request.app.state.services
    limits = await asyncio.to_thread(user_limits, services.db, name)
    if limits is None:
        raise not_found("unknown_user", f"No user named {name[:100]!r}.")
    return json_response({"user": name, "limits": limits.as_json()})


@router.put("/v1/users/{name}/limits")
async def put_user_limits(name: str, body: Limits, request: Request, _: KeyInfo = Depends(admin_only)) -> Response:
    services: Services = request.app.state.services
    if not await asyncio.to_thread(set_user_limits, services.db, name, body):
        raise not_found("unknown_user", f"No user named {name[:100]!r}.")
    return json_response({"user": name, "limits": body.as_json()})
