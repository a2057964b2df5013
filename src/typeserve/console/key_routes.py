"""The API Keys page: the signed-in user's keys, creating one (its secret shown once) and
revoking one (it stops working at once)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from typeserve.accounts.limits.policy import Limits, looser_fields, parse_quota, parse_rate
from typeserve.accounts.scopes import ALL_SCOPES, DEFAULT_SCOPES, SESSION_SCOPES
from typeserve.console.key_limits import key_limits
from typeserve.console.pages import Viewer, check_form_csrf, render, signed_in
from typeserve.services import Services
from typeserve.store.tables import utcnow

router = APIRouter(include_in_schema=False)

SCOPE_HELP = {
    "invoke": "call models",
    "keys:manage": "create and revoke this user's keys",
    "experiments": "run experiments",
    "admin": "everything, for every user",
}


def grantable_scopes(viewer: Viewer) -> tuple[str, ...]:
    return ALL_SCOPES if viewer.user.is_admin else SESSION_SCOPES


async def keys_page(
    request: Request,
    viewer: Viewer,
    *,
    new_key: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    form: dict[str, Any] | None = None,
    notice: str = "",
    status: int = 200,
) -> Response:
    services: Services = request.app.state.services
    keys = await asyncio.to_thread(services.keys.list, viewer.user.id)
    now = utcnow()
    rows = []
    for key in reversed(keys):  # newest first
        if key.revoked_at is not None:
            state = "revoked"
        elif key.expires_at is not None and key.expires_at <= now:
            state = "expired"
        else:
            state = "active"
        rows.append({"key": key, "state": state})
    limits = await asyncio.to_thread(key_limits, services.db, services.limiter, list(reversed(keys)))
    for row, key in zip(rows, reversed(keys), strict=True):
        row["limits"] = limits[key.id]
    return render(
        request,
        "apikeys.html",
        {
            "viewer": viewer,
            "title": "API Keys",
            "rows": rows,
            "scopes": [(scope, SCOPE_HELP.get(scope, "")) for scope in grantable_scopes(viewer)],
            "new_key": new_key,
            "errors": errors or [],
            "form": form or {"name": "", "scopes": list(DEFAULT_SCOPES), "expires": "", "rate": "", "quota": ""},
            "notice": notice,
            "min_expiry": (now.date() + timedelta(days=1)).isoformat(),
        },
        status=status,
    )


@router.get("/apikeys")
async def list_keys(request: Request) -> Response:
    viewer = await signed_in(request)
    revoked = (request.query_params.get("revoked") or "")[:32]
    return await keys_page(request, viewer, notice=f"Key {revoked} was revoked." if revoked.isalnum() else "")


def parse_expiry(text: str) -> datetime:
    """A date: the key works through the end of that day (UTC)."""
    day = date.fromisoformat(text)
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UTC)


def form_limits(rate_text: str, quota_text: str, errors: list[str]) -> Limits:
    """The form's optional rate (10/s, 600/min, 6000 items/min) and quota (1000/day, ...)."""
    fields: dict[str, float] = {}
    for text, parse, label, example in (
        (rate_text, parse_rate, "Rate limit", "10/s, 600/min or 6000 items/min"),
        (quota_text, parse_quota, "Quota", "1000/day, 20000 items/month or 3600 compute/month"),
    ):
        if text:
            try:
                fields.update(parse(text))
            except ValueError:
                errors.append(f"{label}: write it like {example}.")
    return Limits.model_validate(fields)


@router.post("/apikeys")
async def create_key(request: Request) -> Response:
    viewer = await signed_in(request)
    form = await request.form()
    check_form_csrf(viewer.session, form)
    services: Services = request.app.state.services
    name = str(form.get("name") or "").strip()
    scopes = [str(s) for s in form.getlist("scopes")]
    expires_text = str(form.get("expires") or "").strip()
    errors = []
    if not name:
        errors.append("Name: give the key a name, e.g. the app that will use it.")
    elif len(name) > 100:
        errors.append("Name: at most 100 characters.")
    allowed = grantable_scopes(viewer)
    if not scopes:
        errors.append("Scopes: choose at least one.")
    elif any(scope not in allowed for scope in scopes):
        errors.append(f"Scopes: choose among {', '.join(allowed)}.")
    expires_at = None
    if expires_text:
        try:
            expires_at = parse_expiry(expires_text)
        except ValueError:
            errors.append("Expiry: give a date as YYYY-MM-DD.")
        else:
            if expires_at <= utcnow():
                errors.append("Expiry: choose a date in the future.")
    rate_text = str(form.get("rate") or "").strip()[:40]
    quota_text = str(form.get("quota") or "").strip()[:40]
    limits = form_limits(rate_text, quota_text, errors)
    looser = [] if viewer.user.is_admin else looser_fields(limits, services.settings.key_limits)
    if looser:
        errors.append(f"Limits: only an admin may go above the server's defaults ({', '.join(looser)}).")
    if errors:
        kept = {"name": name[:100], "scopes": scopes, "expires": expires_text[:10]}
        kept |= {"rate": rate_text, "quota": quota_text}
        return await keys_page(request, viewer, errors=errors, form=kept, status=422)
    new = await asyncio.to_thread(
        services.keys.create, name, scopes, user_id=viewer.user.id, expires_at=expires_at, limits=limits
    )
    return await keys_page(request, viewer, new_key={"info": new.info, "secret": new.secret}, status=201)


@router.post("/apikeys/{key_id}/revoke")
async def revoke_key(key_id: str, request: Request) -> Response:
    viewer = await signed_in(request)
    form = await request.form()
    check_form_csrf(viewer.session, form)
    services: Services = request.app.state.services
    target = await asyncio.to_thread(services.keys.get, key_id[:64])
    if target is None or target.user_id != viewer.user.id:
        return await keys_page(request, viewer, errors=[f"No key {key_id[:32]} of yours to revoke."], status=404)
    await asyncio.to_thread(services.keys.revoke, key_id)
    return RedirectResponse(f"/apikeys?revoked={key_id}", status_code=303)
