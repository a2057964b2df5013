"""POST /v1/ent/{model id}, typeserve's own wire protocol for the invocation use case: the
body is the type's Input as JSON, or a raw image/audio file with its options in the query
string; the answer is the type's Output. Keys, tiers, cancellation, timing headers and
metering are the shared frame's (api/invocation_frame.py)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from typeserve.api.body import media_type_of, parse_json_body, read_limited_body, require_json_like
from typeserve.api.file_answers import file_response, refuse_file_for_list, wants_file
from typeserve.api.invocation_frame import invoke_over_http
from typeserve.api.query import TIER_PARAMETER, refuse_query_except
from typeserve.api.responses import json_response
from typeserve.errors import unsupported_media_type
from typeserve.inference import InvocationResult, RawMedia, Target
from typeserve.modeltypes.base import ModelType
from typeserve.services import Services

INVOKE_PREFIX = "/v1/ent/"


def refuse_unknown_query(model_type: ModelType, request: Request) -> None:
    """Like unknown body fields, an unknown query parameter (`?servicetier=gpuflex`) is a 422
    naming it, not silently ignored."""
    refuse_query_except(request, {TIER_PARAMETER, *model_type.query_options}, "this model takes")


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


async def invoke(model_id: str, request: Request) -> Response:
    """POST /v1/ent/{model_id}, served by `InvokeEndpoint` ahead of the framework's routing. A
    type whose answer is a file (speech) answers the file itself when `Accept` asks for it."""
    services: Services = request.app.state.services
    asked: dict[str, Any] = {}

    async def read(target: Target) -> Any:
        refuse_unknown_query(target.model_type, request)
        if wants_file(target.model_type, request.headers.get("accept")):
            asked["file_of"] = target.model_type
        return await read_input(target, request, services)

    def check(is_list: bool) -> None:
        if "file_of" in asked:
            refuse_file_for_list(is_list)

    def write(result: InvocationResult) -> Response:
        if "file_of" in asked:
            return file_response(asked["file_of"], result.body, {})
        return json_response(result.body)

    return await invoke_over_http(request, model_id, read, write, before_execute=check)
