"""GET /v1/usage?groupBy=key|model|day&from=&to=: usage totals as JSON, or CSV with
`Accept: text/csv`. A key sees its own user's usage; an admin key sees everyone's (and may
narrow it with `?key=`). `from`/`to` are ISO 8601 dates or times (UTC if no zone); the default
is the last 30 days."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import Scope
from typeserve.accounts.usage_report import COLUMNS, GroupBy, usage_totals
from typeserve.api.auth import authenticate
from typeserve.api.responses import json_response
from typeserve.errors import invalid_field
from typeserve.services import Services
from typeserve.store.tables import utcnow

router = APIRouter()
DEFAULT_SPAN = timedelta(days=30)


def instant(name: str, text: str | None, default: datetime) -> datetime:
    if text is None or not text.strip():
        return default
    try:
        at = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        detail = f"{name}: {text[:40]!r} is not a date or time."
        raise invalid_field(name, "not an ISO 8601 date or time", detail) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def caller_key(request: Request) -> KeyInfo:
    return await authenticate(request)


@router.get("/v1/usage")
async def usage(
    request: Request,
    groupBy: GroupBy = Query("model"),
    from_: str | None = Query(None, alias="from"),
    to: str | None = Query(None),
    key: str | None = Query(None, max_length=32),
    caller: KeyInfo = Depends(caller_key),
) -> Response:
    services: Services = request.app.state.services
    end = instant("to", to, utcnow())
    start = instant("from", from_, end - DEFAULT_SPAN)
    if start >= end:
        raise invalid_field("from", "must be before to", "from: must be before to.")
    admin = Scope.ADMIN.value in caller.scopes
    # What was just served is still in the recorder's buffer: write it first.
    await asyncio.to_thread(services.usage.flush)
    if not admin and caller.user_id is None:  # a key of no user sees only itself
        key = caller.id
    groups, truncated = await asyncio.to_thread(
        usage_totals, services.db, groupBy, start, end, user_id=None if admin else caller.user_id, key_id=key
    )
    rows = [group.as_json() for group in groups]
    if "text/csv" in request.headers.get("accept", ""):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
    return json_response(
        {"groupBy": groupBy, "from": start.isoformat(), "to": end.isoformat(), "groups": rows, "truncated": truncated}
    )
