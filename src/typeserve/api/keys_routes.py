"""API keys over HTTP: POST/GET /v1/apikeys, PATCH (limits) and DELETE /v1/apikeys/{id}, for
keys with the `keys:manage` scope. A key manages its own user's keys; an admin key manages all. A
key never creates or revokes a key with a scope it lacks itself, and the store is used off the
event loop. Only an admin may loosen a key's limits beyond the settings' defaults; anyone may
tighten them."""

from __future__ import annotations

import asyncio
import unicodedata
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.limits.policy import Limits, looser_fields
from typeserve.accounts.scopes import ALL_SCOPES, DEFAULT_SCOPES, Scope, grants
from typeserve.api.auth import require_scope
from typeserve.api.body import read_json_body
from typeserve.api.responses import json_response
from typeserve.errors import Problem, forbidden, invalid_field, not_found
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
    limits: Limits | None = None

    @field_validator("name")
    @classmethod
    def _visible_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a key name needs a visible character")
        if any(unicodedata.category(c) == "Cc" for c in value):
            raise ValueError("a key name has no control characters")
        return value.strip()


class ChangeKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limits: Limits


# Expiry times are stored in UTC; one past this would overflow the date type.
LATEST_EXPIRY = datetime(9000, 1, 1, tzinfo=UTC)


def invalid_expiry(message: str, detail: str) -> Problem:
    return invalid_field("expiresAt", message, f"expiresAt: {detail}.", title="Invalid expiry")


def escalation(caller: KeyInfo, scopes: tuple[str, ...] | list[str]) -> list[str]:
    """The scopes among `scopes` that the caller does not hold itself."""
    return [s for s in dict.fromkeys(scopes) if not grants(caller.scopes, s)]


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
    # The scopes the key will really get (an empty list means the defaults) are the ones checked.
    scopes = list(dict.fromkeys(body.scopes or DEFAULT_SCOPES))
    escalating = escalation(caller, scopes)
    if escalating:
        raise forbidden(f"A key cannot grant scopes it lacks: {', '.join(escalating)}.")
    if body.limits is not None:
        refuse_loosening(caller, body.limits, services.settings.key_limits)
    expires_at = body.expiresAt
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise invalid_expiry("needs a time zone", "give a time zone (e.g. 2030-01-01T00:00:00Z)")
        try:
            expires_at = expires_at.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:59:59-12:00 is past the year 9999 in UTC
            raise invalid_expiry("out of range", f"must be between now and the year {LATEST_EXPIRY.year}") from None
        if expires_at >= LATEST_EXPIRY:
            raise invalid_expiry("out of range", f"must be before {LATEST_EXPIRY.year}")
        if expires_at <= utcnow():
            raise invalid_expiry("must be in the future", "must be in the future")
    new = await asyncio.to_thread(
        services.keys.create, body.name, scopes, user_id=caller.user_id, expires_at=expires_at, limits=body.limits
    )
    return json_response({**new.info.as_json(), "secret": new.secret}, status=201)


@router.get("/v1/apikeys")
async def list_keys(request: Request, caller: KeyInfo = Depends(manage_keys)) -> Response:
    services: Services = request.app.state.services
    keys = await asyncio.to_thread(services.keys.list, user_id=None if _is_admin(caller) else caller.user_id)
    return json_response({"keys": [k.as_json() for k in keys]})


def refuse_loosening(caller: KeyInfo, limits: Limits, defaults: Limits) -> None:
    looser = [] if _is_admin(caller) else looser_fields(limits, defaults)
    if looser:
        raise forbidden(f"Only an admin may set limits above the defaults: {', '.join(looser)}.")


@router.patch("/v1/apikeys/{key_id}")
async def change_key(
    key_id: str, body: ChangeKey, request: Request, caller: KeyInfo = Depends(manage_keys)
) -> Response:
    """Replace the key's limit overrides ({} returns it to the defaults)."""
    services: Services = request.app.state.services
    target = await asyncio.to_thread(services.keys.get, key_id[:64])
    if target is None or (not _is_admin(caller) and target.user_id != caller.user_id):
        raise not_found("unknown_key", f"No API key with id {key_id[:64]!r}.")
    refuse_loosening(caller, body.limits, services.settings.key_limits)
    await asyncio.to_thread(services.keys.set_limits, key_id, body.limits)
    changed = await asyncio.to_thread(services.keys.get, key_id)
    assert changed is not None
    return json_response(changed.as_json())


@router.delete("/v1/apikeys/{key_id}")
async def revoke_key(key_id: str, request: Request, caller: KeyInfo = Depends(manage_keys)) -> Response:
    services: Services = request.app.state.services
    target = await asyncio.to_thread(services.keys.get, key_id[:64])
    if target is None or (not _is_admin(caller) and target.user_id != caller.user_id):
        raise not_found("unknown_key", f"No API key with id {key_id[:64]!r}.")
    stronger = escalation(caller, target.scopes)
    if stronger:
        raise forbidden(f"A key cannot revoke a key with scopes it lacks: {', '.join(stronger)}.")
    await asyncio.to_thread(services.keys.revoke, key_id)
    revoked = await asyncio.to_thread(services.keys.get, key_id)
    assert revoked is not None
    return json_response(revoked.as_json())
