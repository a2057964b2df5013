"""POST /v1/ent/{model id}: authenticate, find the model and tier, read and validate the body
as the model type's Input (JSON, or a raw image/audio file), decode media, run inference
through the engine, and answer the type's Output with timing headers. Every request,
failed or not, is metered off the request path."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import Scope
from typeserve.accounts.usage import Usage
from typeserve.api.auth import require_scope
from typeserve.api.body import (
    JSON_LIKE,
    media_type_of,
    parse_json_body,
    read_limited_body,
    validate_model,
)
from typeserve.api.problems import request_id_of
from typeserve.api.responses import json_response
from typeserve.catalog.spec import ModelSpec
from typeserve.engine.base import InferenceResult
from typeserve.engine.tiers import Tier, parse_tier, resolve_tier
from typeserve.errors import Problem, unsupported_media_type
from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.base import ModelType
from typeserve.modeltypes.prepare import DEFAULT_SAMPLE_RATE, prepare_items, prepare_raw_media
from typeserve.services import Services

log = logging.getLogger("typeserve.api")
INVOKE_PREFIX = "/v1/ent/"
authorize_invoke = require_scope(Scope.INVOKE.value)


def raw_media_options(model_type: ModelType, request: Request) -> dict[str, Any]:
    """A raw file body carries the type's optional fields in the query string."""
    present = {name: request.query_params[name] for name in model_type.query_options if name in request.query_params}
    if not present:
        return {}
    # Validate through the type's Input so that bounds and types match the JSON form.
    placeholder = {"imageRef": {"Bytes": "AA=="}} if model_type.media == "image" else {"Bytes": "AA=="}
    validated = validate_model(model_type.Input, {**placeholder, **present})
    return validated.model_dump(include=set(present))


def refuse_unknown_query(model_type: ModelType, request: Request) -> None:
    """Like unknown body fields, an unknown query parameter (`?servicetier=gpuflex`) is a 422
    naming it, not silently ignored."""
    known = {"serviceTier", *model_type.query_options}
    unknown = list(dict.fromkeys(name for name in request.query_params if name not in known))
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise Problem(
            422,
            "validation_failed",
            "Request does not match the model type's input schema",
            f"Unknown query parameter(s) {shown}; this model takes {', '.join(sorted(known))}.",
            errors=[{"field": name[:100], "message": "unknown query parameter"} for name in unknown[:20]],
        )


async def read_items(
    model_type: ModelType, spec: ModelSpec, request: Request, services: Services
) -> tuple[list[Any], bool]:
    content_type = media_type_of(request)
    body = await read_limited_body(request, services.settings.max_body_bytes)
    limits = services.media_limits
    sample_rate = spec.sample_rate or DEFAULT_SAMPLE_RATE
    top_type = content_type.split("/", 1)[0]
    if top_type in ("image", "audio") or content_type == "application/octet-stream":
        if model_type.media == "text" or (top_type in ("image", "audio") and top_type != model_type.media):
            raise unsupported_media_type(
                f"{spec.id} is a {model_type.name} model; it takes application/json"
                + (f" or {model_type.media}/* bodies." if model_type.media != "text" else ".")
            )
        options = raw_media_options(model_type, request)
        return await prepare_raw_media(model_type, body, options, limits, sample_rate), False
    if content_type not in JSON_LIKE:
        raise unsupported_media_type(f"Content-Type {content_type!r} is not accepted; send application/json.")
    payload = validate_model(model_type.Input, parse_json_body(body))
    return await prepare_items(model_type, payload, limits, sample_rate)


CLIENT_CLOSED_REQUEST = 499  # nginx's status for a client that left before the answer


class ClientDisconnected(Exception):
    """The client closed the connection while its request was queued or running."""


async def disconnected(request: Request) -> None:
    """Returns when the client goes away (the body has been read, so only a disconnect
    message can arrive)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def infer_while_connected(
    request: Request, services: Services, spec: ModelSpec, tier: Tier, items: list[Any]
) -> InferenceResult:
    """Run inference, cancelling it (and dropping its queued work) if the client leaves."""
    if spec.serving.inline and spec.serving.in_process:
        return await services.engine.infer(spec, tier, items)  # answers at once: nothing to cancel
    inference = asyncio.ensure_future(services.engine.infer(spec, tier, items))
    watcher = asyncio.ensure_future(disconnected(request))
    try:
        await asyncio.wait((inference, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if not inference.done():
        inference.cancel()
        raise ClientDisconnected
    return inference.result()


def server_timing(queue_ms: float, inference_ms: float, total_ms: float) -> str:
    return f"queue;dur={queue_ms:.2f}, inference;dur={inference_ms:.2f}, total;dur={total_ms:.2f}"


async def invoke(model_id: str, request: Request) -> Response:
    """POST /v1/ent/{model_id}, served by `InvokeEndpoint` ahead of the framework's routing."""
    started = time.perf_counter()
    services: Services = request.app.state.services
    key: KeyInfo | None = None
    spec: ModelSpec | None = None
    tier = Tier.CPUFLEX
    status = 500
    items_count = 1
    try:
        key = await authorize_invoke(request)
        spec = services.catalog.get(model_id)
        requested = parse_tier(request.query_params.get("serviceTier"))
        tier = resolve_tier(
            requested,
            has_gpu=services.engine.has_gpu(),
            fallback=services.settings.gpuflex_fallback,
            model_tiers=spec.serving.tiers,
        )
        model_type = get_model_type(spec.type)
        refuse_unknown_query(model_type, request)
        items, is_list = await read_items(model_type, spec, request, services)
        items_count = len(items)
        result = await infer_while_connected(request, services, spec, tier, items)
        outputs = [output.model_dump(mode="json", exclude_none=True) for output in result.outputs]
        body = {"results": outputs} if is_list else outputs[0]
        total_ms = (time.perf_counter() - started) * 1000
        status = 200
        return json_response(
            body,
            headers={
                "X-Model-Id": spec.id,
                "X-Service-Tier": result.tier.value,
                "Server-Timing": server_timing(result.queue_ms, result.inference_ms, total_ms),
            },
        )
    except Problem as problem:
        status = problem.status
        if spec is not None:
            problem.headers.setdefault("X-Model-Id", spec.id)
        raise
    except ClientDisconnected:
        status = CLIENT_CLOSED_REQUEST
        return Response(status_code=CLIENT_CLOSED_REQUEST)
    finally:
        elapsed_s = time.perf_counter() - started
        if status >= 500:
            log.warning("invoke %s on %s answered %d", model_id, tier.value, status)
        model_label = spec.id if spec is not None else "unknown"
        services.metrics.requests.labels(model_label, tier.value, str(status)).inc()
        if spec is not None:
            services.metrics.duration.labels(spec.id, tier.value).observe(elapsed_s)
        if spec is not None and key is not None:
            services.usage.record(
                Usage(
                    model_id=spec.id,
                    tier=tier.value,
                    status=status,
                    duration_ms=elapsed_s * 1000,
                    key_id=None if key.session else key.id,
                    user_id=key.user_id,
                    items=items_count,
                    request_id=request_id_of(request),
                )
            )
