"""The model explorer (/models: search, filters by type and vendor, counts per type) and the
model card (/models/{id}: description, signature, source, quality, API URL with the CPU /
FlexGPU switch, and the Developer Toolbox)."""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from typeserve.catalog.cards import card_json, summary_json
from typeserve.console.card_text import headline_quality, one_line, render_markdown, source_parts
from typeserve.console.pages import render, signed_in
from typeserve.console.quick_request import quick_requests
from typeserve.console.signatures import schema_fields
from typeserve.console.toolbox import GPU_QUERY, toolbox_content, with_tier
from typeserve.console.try_it import try_it_form
from typeserve.engine.tiers import gpu_available, gpuflex_unavailable_reason
from typeserve.errors import Problem
from typeserve.modeltypes import MODEL_TYPES, get_model_type
from typeserve.public_url import public_base_url
from typeserve.services import Services

router = APIRouter(include_in_schema=False)


def _param(request: Request, name: str, max_length: int = 200) -> str:
    return (request.query_params.get(name) or "").strip()[:max_length]


@router.get("/models")
async def explorer(request: Request) -> Response:
    viewer = await signed_in(request)
    services: Services = request.app.state.services
    q, type_name, vendor = _param(request, "q"), _param(request, "type"), _param(request, "vendor")
    if type_name not in MODEL_TYPES:
        type_name = ""
    # Counts per type follow the search and vendor filter, so they say what a type click finds.
    # Registered models are read from the database: off the event loop.
    matching = await asyncio.to_thread(services.catalog.search, vendor=vendor or None, q=q or None)
    counts = dict.fromkeys(MODEL_TYPES, 0)
    for spec in matching:
        counts[spec.type] = counts.get(spec.type, 0) + 1
    base = public_base_url(request)
    results = [
        {
            **summary_json(s, services.engine, base),
            "lede": one_line(s.description or get_model_type(s.type).description),
            "headline": headline_quality(s.quality),
        }
        for s in matching
        if not type_name or s.type == type_name
    ]
    vendors = sorted({spec.vendor for spec in await asyncio.to_thread(services.catalog.all)})
    return render(
        request,
        "models.html",
        {
            "viewer": viewer,
            "title": "Models",
            "q": q,
            "type_name": type_name,
            "vendor": vendor,
            "vendors": vendors,
            "types": MODEL_TYPES,
            "counts": counts,
            "results": results,
            "total": len(services.catalog),
        },
    )


@router.get("/models/{model_id:path}")
async def model_card(model_id: str, request: Request) -> Response:
    viewer = await signed_in(request)
    services: Services = request.app.state.services
    try:
        spec = await asyncio.to_thread(services.catalog.get, model_id)
    except Problem as problem:
        context = {"viewer": viewer, "title": "Model not found", "message": problem.detail}
        return render(request, "message.html", context, status=404)
    base = public_base_url(request)
    card = card_json(spec, services.engine, base)
    model_type = get_model_type(spec.type)
    gpu_offered = "gpuflex" in spec.serving.tiers
    tier = "gpuflex" if gpu_offered and request.query_params.get("tier") == "gpuflex" else "cpuflex"
    cpu_url = card["apiUrls"]["cpuflex"]
    samples, openapi_available = toolbox_content(spec, model_type, base, cpu_url)
    example = spec.examples[0].request if spec.examples else None
    settings = services.settings
    gpu_url = with_tier(cpu_url, cpu_url, "gpuflex")
    return render(
        request,
        "model_card.html",
        {
            "viewer": viewer,
            "title": spec.title,
            "spec": spec,
            "card": card,
            "model_type": model_type,
            "input_fields": schema_fields(model_type.input_schema()),
            "output_fields": schema_fields(model_type.output_schema()),
            "input_schema": json.dumps(model_type.input_schema(), indent=2),
            "output_schema": json.dumps(model_type.output_schema(), indent=2),
            "example_request": json.dumps(model_type.example_input, indent=2, ensure_ascii=False),
            "example_response": json.dumps(model_type.example_output, indent=2, ensure_ascii=False),
            "tier": tier,
            "gpu_offered": gpu_offered,
            "cpu_url": cpu_url,
            "shown_url": with_tier(cpu_url, cpu_url, tier),
            "gpu_query": GPU_QUERY,
            "api_path": f"/v1/ent/{spec.id}",
            "samples": [(s, s.for_tier(tier, cpu_url)) for s in samples],
            "openapi_available": openapi_available,
            "openapi_url": f"/v1/models/{spec.id}/openapi.json",
            "try_it": try_it_form(model_type, example if example and "imageRef" not in example else None),
            "lede": one_line(spec.description or model_type.description),
            "description_html": render_markdown(spec.description) if spec.description else None,
            "card_html": render_markdown(spec.card) if spec.card else None,
            "headline": headline_quality(spec.quality),
            "headline_dataset": spec.quality[0].dataset if spec.quality else None,
            "source": source_parts(spec.source or ""),
            "quick_requests": quick_requests(model_type, base, spec.id, cpu_url, gpu_url),
            "gpu_reason": gpuflex_unavailable_reason(
                has_gpu=gpu_available(), fallback=settings.gpuflex_fallback, model_tiers=list(spec.serving.tiers)
            ),
            "sample_media": f"/console/sample-media/{model_type.media}" if model_type.media != "text" else None,
        },
    )
