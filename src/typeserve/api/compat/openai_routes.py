"""The OpenAI API under `/openai/v1` (the openai client's `base_url`, clear of typeserve's own
`/v1`): `GET /models`, and `POST /{endpoint}` for every endpoint a type declares in its
`compat.openai` (embeddings, audio endpoints, speech). `model` is the
typeserve model id. This router names no endpoint's type."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from typeserve.api.body import media_type_of, parse_json_body, read_limited_body
from typeserve.api.compat.common import answer_response, refuse_unknown_query
from typeserve.api.invocation_frame import authorize_invoke, invoke_over_http
from typeserve.api.responses import json_response
from typeserve.errors import bad_request, invalid_field, not_found
from typeserve.inference import InvocationResult, Target
from typeserve.modeltypes import MODEL_TYPES, get_model_type
from typeserve.modeltypes.compat import OpenAiEndpoint
from typeserve.services import Services

router = APIRouter(prefix="/openai/v1", tags=["OpenAI compatible"])


def endpoints_named(path: str) -> list[OpenAiEndpoint]:
    return [e for t in MODEL_TYPES.values() if (e := t.compat.openai_endpoint(path)) is not None]


async def single_chunk(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


async def read_fields(request: Request, body: bytes) -> dict[str, Any]:
    """The request's fields: a JSON object, or a multipart form (files as bytes)."""
    if media_type_of(request) == "multipart/form-data":
        try:
            form = await MultiPartParser(request.headers, single_chunk(body)).parse()
        except MultiPartException as exc:
            raise bad_request("bad_form", f"The multipart form could not be read: {exc}.") from None
        fields: dict[str, Any] = {}
        for name, value in form.multi_items():
            fields[name] = await value.read() if isinstance(value, UploadFile) else value
        return fields
    parsed = parse_json_body(body)
    if not isinstance(parsed, dict):
        raise invalid_field("body", "a JSON object", "Send a JSON object.")
    return parsed


def model_entry(model_id: str, vendor: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": vendor}


@router.get("/models")
async def list_models(request: Request) -> Response:
    """The models that answer at least one OpenAI endpoint."""
    await authorize_invoke(request)
    services: Services = request.app.state.services
    data = [
        model_entry(spec.id, spec.vendor)
        for spec in await asyncio.to_thread(services.catalog.all)
        if get_model_type(spec.type).compat.openai
    ]
    return json_response({"object": "list", "data": data})


@router.get("/models/{model_id:path}")
async def retrieve_model(model_id: str, request: Request) -> Response:
    await authorize_invoke(request)
    services: Services = request.app.state.services
    spec = await asyncio.to_thread(services.catalog.get, model_id)
    if not get_model_type(spec.type).compat.openai:
        raise not_found("no_openai_endpoint", f"{spec.id} is a {spec.type} model, which no OpenAI endpoint serves.")
    return json_response(model_entry(spec.id, spec.vendor))


@router.post("/{endpoint:path}", response_model=None)
async def openai_endpoint(endpoint: str, request: Request) -> Response:
    services: Services = request.app.state.services
    if not endpoints_named(endpoint):
        raise not_found("no_such_endpoint", f"typeserve has no /openai/v1/{endpoint}.")
    fields: dict[str, Any] = {}
    chosen: dict[str, OpenAiEndpoint] = {}

    async def model_id() -> str:
        refuse_unknown_query(request)
        body = await read_limited_body(request, services.settings.max_body_bytes)
        fields.update(await read_fields(request, body))
        model = fields.get("model")
        if not isinstance(model, str) or not model:
            raise invalid_field("model", "required", "model: the typeserve model id, e.g. vendor/1/name.")
        return model

    async def read(target: Target) -> Any:
        found = target.model_type.compat.openai_endpoint(endpoint)
        if found is None:
            raise not_found(
                "wrong_endpoint", f"{target.spec.id} is a {target.model_type.name} model; it does not serve {endpoint}."
            )
        if not found.serves(target.spec.languages):
            raise invalid_field("model", "cannot serve this endpoint", f"{target.spec.id}: {found.refusal}.")
        chosen["endpoint"] = found
        return found.request(fields)

    def write(result: InvocationResult) -> Response:
        return answer_response(chosen["endpoint"].answer(result.body, fields))

    return await invoke_over_http(request, model_id, read, write)
