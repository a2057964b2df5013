"""POST /v1/ent/{model id}, the HTTP adapter of the invocation use case: authenticate, read
the body (JSON, or a raw image/audio file with options in the query string) and the tier
parameter, cancel the work if the client leaves, answer with timing headers. Every request,
failed or not, is metered off the request path."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import Scope
from typeserve.accounts.usage import Usage
from typeserve.api.auth import require_scope
from typeserve.api.body import media_type_of, parse_json_body, read_limited_body, require_json_like
from typeserve.api.file_answers import file_response, refuse_file_for_list, wants_file
from typeserve.api.problems import http_status, request_id_of
from typeserve.api.query import TIER_PARAMETER, tier_parameter
from typeserve.api.responses import json_response
from typeserve.catalog.spec import ModelSpec
from typeserve.engine.tiers import Tier
from typeserve.errors import Problem, invalid_fields, unsupported_media_type
from typeserve.inference import Cancelled, RawMedia, Target
from typeserve.modeltypes.base import ModelType
from typeserve.services import Services

log = logging.getLogger("typeserve.api")
INVOKE_PREFIX = "/v1/ent/"
authorize_invoke = require_scope(Scope.INVOKE.value)


def refuse_unknown_query(model_type: ModelType, request: Request) -> None:
    """Like unknown body fields, an unknown query parameter (`?servicetier=gpuflex`) is a 422
    naming it, not silently ignored."""
    known = {TIER_PARAMETER, *model_type.query_options}
    unknown = list(dict.fromkeys(name for name in request.query_params if name not in known))
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise invalid_fields(
            [name[:100] for name in unknown[:20]],
            "unknown query parameter",
            f"Unknown query parameter(s) {shown}; this model takes {', '.join(sorted(known))}.",
        )


async def read_input(target: Target, request: Request, services: Services) -> Any | RawMedia:
    """The body as the use case takes it: parsed JSON, or a raw image/audio file with the
    type's optional fields from the query string."""
    model_type, spec = target.model_type, target.spec
    content_type = media_type_of(request)
    body = await read_limited_body(request, services.settings.max_body_bytes)
    top_type = content_type.split("/", 1)[0]
    if top_type in ("image", "audio") or content_type == "application/octet-stream":
        if model_type.media == "text" or (top_type in ("image", "audio") and top_type != model_type.media):
            raise unsupported_media_type(
                f"{spec.id} is a {model_type.name} model; it takes application/json"
                + (f" or {model_type.media}/* bodies." if model_type.media != "text" else ".")
            )
        options = {
            name: request.query_params[name] for name in model_type.query_options if name in request.query_params
        }
        return RawMedia(body, options)
    require_json_like(request)
    return parse_json_body(body)


CLIENT_CLOSED_REQUEST = 499  # nginx's status for a client that left before the answer


def until_disconnected(request: Request) -> Callable[[], Awaitable[None]]:
    """Returns when the client goes away (the body has been read, so only a disconnect
    message can arrive)."""

    async def disconnected() -> None:
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                return

    return disconnected


def error_headers(model_id: str, tier: Tier, started: float) -> dict[str, str]:
    headers = {
        "X-Service-Tier": tier.value,
        "Server-Timing": f"total;dur={(time.perf_counter() - started) * 1000:.2f}",
    }
    # The id from the path is echoed only when it is a plain header value.
    if len(model_id) <= 200 and model_id.isascii() and model_id.isprintable():
        headers["X-Model-Id"] = model_id
    return headers


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
        tier = tier_parameter(request)
        target = services.inference.target(model_id, tier)
        tier = target.tier
        refuse_unknown_query(target.model_type, request)
        given = await read_input(target, request, services)
        items, is_list = await services.inference.items(target, given)
        items_count = len(items)
        as_file = wants_file(target.model_type, request.headers.get("accept"))
        if as_file:
            refuse_file_for_list(is_list)
        result = await services.inference.execute(target, items, is_list, until=until_disconnected(request))
        total_ms = (time.perf_counter() - started) * 1000
        status = 200
        headers = {
            "X-Model-Id": spec.id,
            "X-Service-Tier": result.tier.value,
            "Server-Timing": server_timing(result.queue_ms, result.inference_ms, total_ms),
        }
        if as_file:
            return file_response(target.model_type, result.body, headers)
        return json_response(result.body, headers=headers)
    except Problem as problem:
        status = http_status(problem.kind)
        # An error carries what the request got to know: the model asked for, the tier asked
        # for (or the one that failed), and the time it took.
        problem.headers.update(error_headers(spec.id if spec is not None else model_id, tier, started))
        raise
    except Cancelled:
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
