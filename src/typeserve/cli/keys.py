"""`typeserve keys`: create, list and revoke API keys on the data directory."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from typeserve.cli.common import (
    DataDir,
    console,
    err_console,
    fail,
    settings_for,
    table_with_ids,
    wide_console,
    writing_settings,
)
from typeserve.cli.limit_options import Burst, Quotas, Rates, describe, limits_from_options

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)


def _key_store(data_dir: Path | None, writes: bool = False) -> Any:
    from typeserve.accounts.keys import ApiKeyStore
    from typeserve.store import open_database

    settings = writing_settings(data_dir) if writes else settings_for(data_dir)
    store = ApiKeyStore(open_database(settings), cache_ttl_s=0)
    if settings.redis_url:  # gateways on this Redis drop a revoked key at once
        from typeserve.accounts.revocation_events import RevocationEvents

        RevocationEvents(settings.redis_url, store)
    return store


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", help="A name to recognise the key by.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="invoke, keys:manage, experiments or admin (repeatable; default invoke).",
        ),
    ] = None,
    expires: Annotated[datetime | None, typer.Option("--expires", help="Expiry, ISO 8601 (UTC if no zone).")] = None,
    rate: Rates = None,
    quota: Quotas = None,
    burst: Burst = None,
    data_dir: DataDir = None,
) -> None:
    """Create an API key. The secret is printed once, as the last line."""
    from datetime import UTC

    from typeserve.accounts.users import ensure_user

    limits = limits_from_options(rate, quota, burst)
    store = _key_store(data_dir, writes=True)
    admin_id = ensure_user(store.db, "admin", is_admin=True)
    expires_at = expires.replace(tzinfo=expires.tzinfo or UTC) if expires else None
    try:
        new = store.create(name, scope or ["invoke"], user_id=admin_id, expires_at=expires_at, limits=limits)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    err_console.print(
        f"Created key [bold]{new.info.id}[/bold] ({new.info.name}) with scopes {', '.join(new.info.scopes)}."
    )
    err_console.print(f"Limits: {describe(limits)}.")
    err_console.print("The secret is shown only now:")
    print(new.secret, flush=True)


@keys_app.command("list")
def keys_list(data_dir: DataDir = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List API keys (never their secrets)."""
    keys = _key_store(data_dir).list()
    if as_json:
        print(json.dumps([k.as_json() for k in keys], indent=2))
        return
    table = table_with_ids(
        "id", [k.id for k in keys], "name", "prefix", "scopes", "limits", "created", "last used", "expires", "state"
    )
    for k in keys:
        state = "revoked" if k.revoked_at else "active"
        table.add_row(
            k.id,
            k.name,
            k.prefix,
            " ".join(k.scopes),
            describe(k.limits) if k.limits else "defaults",
            f"{k.created_at:%Y-%m-%d %H:%M}",
            f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "-",
            f"{k.expires_at:%Y-%m-%d %H:%M}" if k.expires_at else "-",
            state,
        )
    wide_console().print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str, data_dir: DataDir = None) -> None:
    """Revoke an API key: it stops working at once."""
    store = _key_store(data_dir, writes=True)
    if store.get(key_id) is None:
        raise fail(f"no API key with id {key_id!r} (see `typeserve keys list`)", 2)
    if store.revoke(key_id):
        console.print(f"Revoked key {key_id}.")
    else:
        console.print(f"Key {key_id} was already revoked.")


@keys_app.command("limits")
def keys_limits(
    key_id: str,
    rate: Rates = None,
    quota: Quotas = None,
    burst: Burst = None,
    data_dir: DataDir = None,
) -> None:
    """Replace a key's rate limits and quotas (no options: the settings' defaults again)."""
    limits = limits_from_options(rate, quota, burst)
    if not _key_store(data_dir, writes=True).set_limits(key_id, limits):
        raise fail(f"no API key with id {key_id!r}")
    console.print(f"Key {key_id} now has {describe(limits)}.")
