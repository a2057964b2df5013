"""The Usage page: requests, errors and p95 latency over time per model or per key, as SVG
charts and a table. Users see their own usage; admins see everyone's."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response

from typeserve.console.charts import PALETTE, line_chart
from typeserve.console.key_limits import key_limits
from typeserve.console.pages import render, signed_in
from typeserve.console.usage_stats import MAX_SERIES, RANGES, fitting_range, usage_report
from typeserve.services import Services

router = APIRouter(include_in_schema=False)

TIME_FORMATS = {"1h": "%H:%M", "24h": "%H:%M", "7d": "%a %H:%M", "30d": "%b %d"}


@router.get("/usage")
async def usage(request: Request) -> Response:
    viewer = await signed_in(request)
    services: Services = request.app.state.services
    by = "key" if request.query_params.get("by") == "key" else "model"
    user_id = None if viewer.user.is_admin else viewer.user.id
    # Flush what is buffered so that the page includes the requests just made.
    await asyncio.to_thread(services.usage.flush)
    range_name = request.query_params.get("range", "")
    if range_name not in RANGES:
        range_name = await asyncio.to_thread(fitting_range, services.db, user_id=user_id)
    report = await asyncio.to_thread(usage_report, services.db, user_id=user_id, range_name=range_name, by=by)
    keys = await asyncio.to_thread(services.keys.list, user_id, False)
    limits = await asyncio.to_thread(key_limits, services.db, services.limiter, keys)
    limit_rows = [{"key": key, "limits": limits[key.id]} for key in keys]
    shown = report.groups[:MAX_SERIES]
    time_format = TIME_FORMATS[range_name]
    starts = report.bucket_starts
    charts = [
        line_chart(
            "Requests",
            "requests",
            starts,
            [(g.name, [float(v) for v in g.requests]) for g in shown],
            time_format,
            counts=True,
        ),
        line_chart(
            "Errors",
            "errors",
            starts,
            [(g.name, [float(v) for v in g.errors]) for g in shown],
            time_format,
            counts=True,
        ),
        line_chart("Latency (p95)", "ms", starts, [(g.name, g.p95_per_bucket()) for g in shown], time_format),
    ]
    return render(
        request,
        "usage.html",
        {
            "viewer": viewer,
            "title": "Usage",
            "report": report,
            "limit_rows": limit_rows,
            "charts": charts,
            "colors": PALETTE,
            "ranges": list(RANGES),
            "range_name": range_name,
            "by": by,
            "all_users": user_id is None,
            "more_groups": len(report.groups) - len(shown),
        },
    )
