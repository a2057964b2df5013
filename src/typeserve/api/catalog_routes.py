"""Model types and the model catalog: GET /v1/types, /v1/types/{type}, /v1/models,
/v1/models/{id}. Reading the catalog needs no key, like a public model hub."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from typeserve.api.responses import json_response
from typeserve.catalog.cards import card_json, summary_json
from typeserve.modeltypes import MODEL_TYPES, ModelType, get_model_type
from typeserve.public_url import public_base_url
from typeserve.services import Services

router = APIRouter()


def type_json(model_type: ModelType, count: int) -> dict[str, Any]:
    return {
        "name": model_type.name,
        "title": model_type.title,
        "description": model_type.description,
        "media": model_type.media,
        "acceptsList": model_type.accepts_list,
        "rawContentTypes": [f"{model_type.media}/*"] if model_type.media != "text" else [],
        "input": model_type.input_schema(),
        "output": model_type.output_schema(),
        "example": {"input": model_type.example_input, "output": model_type.example_output},
        "metrics": list(model_type.metrics),
        "models": count,
    }


def _counts(services: Services) -> dict[str, int]:
    counts = dict.fromkeys(MODEL_TYPES, 0)
    for spec in services.catalog.all():
        counts[spec.type] = counts.get(spec.type, 0) + 1
    return counts


@router.get("/v1/types")
async def list_types(request: Request) -> Response:
    counts = await asyncio.to_thread(_counts, request.app.state.services)
    return json_response({"types": [type_json(t, counts[name]) for name, t in MODEL_TYPES.items()]})


@router.get("/v1/types/{type_name}")
async def get_type(type_name: str, request: Request) -> Response:
    model_type = get_model_type(type_name)
    counts = await asyncio.to_thread(_counts, request.app.state.services)
    return json_response(type_json(model_type, counts[model_type.name]))


@router.get("/v1/models")
async def list_models(
    request: Request,
    type: str | None = Query(default=None, max_length=100),
    q: str | None = Query(default=None, max_length=200),
    vendor: str | None = Query(default=None, max_length=100),
) -> Response:
    services: Services = request.app.state.services
    if type is not None:
        get_model_type(type)
    base = public_base_url(request)
    # Registered models are read from the database: off the event loop.
    specs = await asyncio.to_thread(services.catalog.search, type=type, vendor=vendor, q=q)
    return json_response({"models": [summary_json(s, services.engine, base) for s in specs], "total": len(specs)})


@router.get("/v1/models/{model_id:path}")
async def get_model(model_id: str, request: Request) -> Response:
    services: Services = request.app.state.services
    spec = await asyncio.to_thread(services.catalog.get, model_id)
    return json_response(card_json(spec, services.engine, public_base_url(request)))
