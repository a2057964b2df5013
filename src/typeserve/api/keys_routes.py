"""API keys over HTTP: POST/GET /v1/apikeys and DELETE /v1/apikeys/{id}, for keys with the
`keys:manage` scope. A key manages its own user's keys; an admin key manages all."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import ALL_SCOPES, Scope, grants
from typeserve.api.auth import require_scope
from typeserve.api.body import read_json_body
from typeserve.api.responses import json_response
from typeserve.errors import forbidden, invalid_field, not_found
from typeserve.modeltypes.validation import validate_model
from typeserve.services import Services
from typeserve.store.tables import utcnow

router = APIRouter()
manage_keys = require_scope(Scope.KEYS_MANAGE.value)


class CreateKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(default_factory=lambda: [Scope.INVOKE.value], max_length=len(ALL_SCOPES))
    expiresAt: datetime | None = None


# The body is read by hand (one Content-Type convention for every JSON route); the schema
# is still published in the OpenAPI document.
CREATE_KEY_BODY = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": CreateKey.model_json_schema()}}}
}


def _is_admin(key: KeyInfo) -> bool:
    return Scope.ADMIN.value in key.scopes


MAX_KEY_REQUEST_BYTES = 64 * 1024


@router.post("/v1/apikeys", status_code=201, openapi_extra=CREATE_KEY_BODY)
async def create_key(request: Request, caller: KeyInfo = Depends(manage_keys)) -> Response:
    services: Services = request.app.state.services
    data, _ = await read_json_body(request, MAX_KEY_REQUEST_BYTES)
    body = validate_model(CreateKey, data, title="Request does not match the API key schema")
    unknown = [s for s in body.scopes if s not in ALL_SCOPES]
    if unknown:
        raise invalid_field(
            "scopes",
            "unknown scope",
            f"scopes: unknown {', '.join(unknown)}; known: {', '.join(ALL_SCOPES)}.",
            title="Unknown scope",
        )
    escalating = [s for s in body.scopes if not grants(caller.scopes, s)]
    if escalating:
        raise forbidden(f"A key cannot grant scopes it lacks: {', '.join(escalating)}.")
    if body.expiresAt is not None and body.expiresAt.tzinfo is None:
        raise invalid_field(
            "expiresAt",
            "needs a time zone",
            "expiresAt: give a time zone (e.g. 2030-01-01T00:00:00Z).",
            title="Invalid expiry",
        )
    if body.expiresAt is not None and body.expiresAt <= utcnow():
        raise invalid_field(
            "expiresAt", "must be in the future", "expiresAt: must be in the future.", title="Invalid expiry"
        )
    new = services.keys.create(body.name, body.scopes, user_id=caller.user_id, expires_at=body.expiresAt)
    return json_response({**new.info.as_json(), "secret": new.secret}, status=201)


@router.get("/v1/apikeys")
async def list_keys(request: Request, caller: KeyInfo = Depends(manage_keys)) -> Response:
    services: Services = request.app.state.services
    keys = services.keys.list(user_id=None if _is_admin(caller) else caller.user_id)
    return json_response({"keys": [k.as_json() for k in keys]})


@router.delete("/v1/apikeys/{key_id}")
async def revoke_key(key_id: str, request: Request, caller: KeyInfo = Depends(manage_keys)) -> Response:
    services: Services = request.app.state.services
    target = services.keys.get(key_id)
    if target is None or (not _is_admin(caller) and target.user_id != caller.user_id):
        raise not_found("unknown_key", f"No API key with id {key_id!r}.")
    services.keys.revoke(key_id)
    revoked = services.keys.get(key_id)
    assert revoked is not None
    return json_response(revoked.as_json())
