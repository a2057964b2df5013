"""The developer toolbox of a model card: GET /v1/models/{id}/openapi.json (its OpenAPI 3.0.3
document) and GET /v1/models/{id}/samples/{lang} (a runnable program). Public, like the card.
Included before the catalog router, whose `/v1/models/{id:path}` would otherwise swallow them."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response

from typeserve.api.openapi import model_openapi
from typeserve.api.query import tier_parameter
from typeserve.api.responses import json_response
from typeserve.errors import not_found
from typeserve.public_url import public_base_url
from typeserve.samples import LANGUAGES, model_sample_context, render_sample
from typeserve.services import Services

router = APIRouter()


@router.get("/v1/models/{model_id:path}/openapi.json")
async def model_openapi_document(model_id: str, request: Request) -> Response:
    services: Services = request.app.state.services
    spec = await asyncio.to_thread(services.catalog.get, model_id)
    document = model_openapi(spec, public_base_url(request))
    filename = spec.id.replace("/", "-") + ".openapi.json"
    return json_response(document, headers={"Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/v1/models/{model_id:path}/samples/{lang}")
async def model_sample(model_id: str, lang: str, request: Request) -> Response:
    services: Services = request.app.state.services
    spec = await asyncio.to_thread(services.catalog.get, model_id)
    language = LANGUAGES.get(lang)
    if language is None:
        raise not_found("unknown_language", f"No samples in {lang[:40]!r}; there are: {', '.join(LANGUAGES)}.")
    # ?tier=gpuflex renders the program with the GPU tier as its default (the console's switch).
    tier = tier_parameter(request, "tier", "cpuflex")
    source = render_sample(model_sample_context(spec, public_base_url(request), tier.value), lang)
    return Response(
        source,
        media_type=f"{language.media_type}; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{language.filename}"'},
    )
