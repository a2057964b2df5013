"""One model invocation over HTTP, whatever wire protocol carries it (typeserve's own
`/v1/ent`, Hugging Face's task API, OpenAI's, the Open Inference Protocol): the API key and
its scope, the tier (`?serviceTier=`), the invocation use case, cancellation when the client
leaves, the timing headers, the key's and user's limits (accounts/limits) with their
rate-limit headers, metrics and metering. A protocol supplies only how to read its
request and how to write its answer, so keys, tiers, limits, metering and errors are the same
for all of them."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.limits.limiter import Admission
from typeserve.accounts.scopes import Scope
from typeserve.accounts.usage import Usage
from typeserve.api.auth import require_scope
from typeserve.api.problems import http_status, request_id_of
from typeserve.api.query import tier_parameter
from typeserve.catalog.spec import ModelSpec
from typeserve.engine.tiers import Tier
from typeserve.errors import Problem
from typeserve.inference import Cancelled, InvocationResult, RawMedia, Target
from typeserve.services import Services

log = logging.getLogger("typeserve.api")
authorize_invoke = require_scope(Scope.INVOKE.value)
CLIENT_CLOSED_REQUEST = 499  # nginx's status for a client that left before the answer

ReadInput = Callable[[Target], Awaitable["Any | RawMedia"]]
WriteAnswer = Callable[[InvocationResult], Response]
ModelId = str | Callable[[], Awaitable[str]]  # a callable reads it from the body (OpenAI's `model`)


def until_disconnected(request: Request) -> Callable[[], Awaitable[None]]:
    """Returns when the client goes away (the body has been read, so only a disconnect
    message can arrive)."""

    async def disconnected() -> None:
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                return

    return disconnected


def server_timing(queue_ms: float, inference_ms: float, total_ms: float) -> str:
    return f"queue;dur={queue_ms:.2f}, inference;dur={inference_ms:.2f}, total;dur={total_ms:.2f}"


def error_headers(model_id: str, tier: Tier, started: float) -> dict[str, str]:
    headers = {
        "X-Service-Tier": tier.value,
        "Server-Timing": f"total;dur={(time.perf_counter() - started) * 1000:.2f}",
    }
    # The id from the path is echoed only when it is a plain header value.
    if len(model_id) <= 200 and model_id.isascii() and model_id.isprintable():
        headers["X-Model-Id"] = model_id
    return headers


async def invoke_over_http(
    request: Request,
    model_id: ModelId,
    read: ReadInput,
    write: WriteAnswer,
    *,
    before_execute: Callable[[bool], None] | None = None,
) -> Response:
    """Authenticate, find the model and tier, read, invoke, answer; meter every outcome.
    `before_execute(is_list)` may refuse what the prepared input cannot be answered as."""
    started = time.perf_counter()
    services: Services = request.app.state.services
    key: KeyInfo | None = None
    spec: ModelSpec | None = None
    tier = Tier.CPUFLEX
    status = 500
    items_count = 1
    compute_ms: float | None = None
    admission: Admission | None = None
    shown_id = model_id if isinstance(model_id, str) else "unknown"
    try:
        key = await authorize_invoke(request)
        requested = tier = tier_parameter(request)
        shown_id = model_id if isinstance(model_id, str) else await model_id()
        target = await services.inference.find_target(shown_id, requested)
        spec, tier = target.spec, target.tier
        # Limits are charged before the body is parsed; the edge (LimitHeadersMiddleware) adds their
        # headers to any answer of a request that left its admission in the request state.
        admission = request.state.admission = services.limiter.admission(key)
        await admission.admit()
        given = await read(target)
        # Items first, so that a request failing in inference is still metered with its item count.
        items, is_list = await services.inference.items(target, given)
        items_count = len(items)
        await admission.charge_items(items_count)
        if before_execute is not None:
            before_execute(is_list)
        result = await services.inference.execute(target, items, is_list, until=until_disconnected(request))
        compute_ms = result.inference_ms
        response = write(result)
        total_ms = (time.perf_counter() - started) * 1000
        response.headers["X-Model-Id"] = spec.id
        response.headers["X-Service-Tier"] = result.tier.value
        response.headers["Server-Timing"] = server_timing(result.queue_ms, result.inference_ms, total_ms)
        status = response.status_code
        return response
    except Problem as problem:
        status = http_status(problem.kind)
        # An error carries what the request got to know: the model asked for, the tier asked
        # for (or the one that failed), and the time it took.
        problem.headers.update(error_headers(spec.id if spec is not None else shown_id, tier, started))
        raise
    except Cancelled:
        status = CLIENT_CLOSED_REQUEST
        return Response(status_code=CLIENT_CLOSED_REQUEST)
    finally:
        elapsed_s = time.perf_counter() - started
        if status >= 500:
            log.warning("invoke %s on %s answered %d", shown_id, tier.value, status)
        if admission is not None:
            services.limiter.settle(admission, status == 200, (compute_ms or 0.0) / 1000)
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
                    compute_ms=compute_ms,
                )
            )
