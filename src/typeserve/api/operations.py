"""Operator endpoints: Prometheus metrics, and loading or unloading a model by hand
(`admin` keys)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import Scope
from typeserve.api.auth import require_scope
from typeserve.api.query import tier_parameter
from typeserve.api.responses import json_response
from typeserve.catalog.cards import model_status
from typeserve.engine.tiers import resolve_tier
from typeserve.services import Services

router = APIRouter()
admin_only = require_scope(Scope.ADMIN.value)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    return Response(services.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


@router.post("/v1/models/{model_id:path}/load")
async def load_model(model_id: str, request: Request, _: KeyInfo = Depends(admin_only)) -> Response:
    services: Services = request.app.state.services
    spec = await asyncio.to_thread(services.catalog.get, model_id)
    tier = resolve_tier(
        tier_parameter(request),
        has_gpu=services.engine.has_gpu(),
        fallback=services.settings.gpuflex_fallback,
        model_tiers=spec.serving.tiers,
    )
    await services.engine.load(spec, tier)
    return json_response({"id": spec.id, **model_status(spec, services.engine)})


@router.post("/v1/models/{model_id:path}/unload")
async def unload_model(model_id: str, request: Request, _: KeyInfo = Depends(admin_only)) -> Response:
    services: Services = request.app.state.services
    spec = await asyncio.to_thread(services.catalog.get, model_id)
    was_loaded = await services.engine.unload(spec.id)
    return json_response({"id": spec.id, "unloaded": was_loaded, **model_status(spec, services.engine)})
