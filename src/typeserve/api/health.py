"""Liveness and readiness. /healthz answers as long as the process serves HTTP; /readyz
only once the database and catalog are up (and preloading is done), and while the database
still answers."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response

from typeserve.api.responses import json_response

router = APIRouter()


@router.get("/healthz")
async def healthz() -> Response:
    return json_response({"status": "ok"})


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    state = request.app.state
    if not getattr(state, "ready", False):
        return json_response({"ready": False, "reason": getattr(state, "startup_phase", "starting")}, status=503)
    database_ok = await anyio.to_thread.run_sync(state.services.db.ping)
    if not database_ok:
        return json_response({"ready": False, "reason": "database unreachable"}, status=503)
    return json_response({"ready": True, "models": len(state.services.catalog)})
