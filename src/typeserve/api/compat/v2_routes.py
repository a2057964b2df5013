"""The Open Inference Protocol v2 (REST), as KServe and Triton clients call it: health, server
and model metadata, model readiness and `infer`. Model names: a typeserve id with each `/`
written `~` (`vader/1/sentiment` is `vader~1~sentiment`); ids never contain `~`, so the
mapping is reversible, and the id itself (slashes and all) is accepted too. The type's
`compat.v2` signature gives the tensors; this router names no type."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from typeserve import __version__
from typeserve.api.body import read_limited_body
from typeserve.api.compat.common import ErrorMemberRoute, refuse_unknown_query
from typeserve.api.compat.v2_codec import HEADER_LENGTH, Tensor, encode_response, parse_request
from typeserve.api.invocation_frame import authorize_invoke, invoke_over_http
from typeserve.api.responses import json_response
from typeserve.catalog.cards import model_status
from typeserve.catalog.spec import ModelSpec
from typeserve.errors import invalid_field, not_found, unavailable
from typeserve.inference import InvocationResult, Target
from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.base import ModelType
from typeserve.modeltypes.compat import V2Signature
from typeserve.modeltypes.compat.answers import media_ref
from typeserve.services import Services

router = APIRouter(prefix="/v2", tags=["Open Inference Protocol v2"], route_class=ErrorMemberRoute)
SEPARATOR = "~"
# Request parameters of the protocol itself (Triton's), never fields of a type's Input.
PROTOCOL_PARAMETERS = {"binary_data_output", "sequence_id", "sequence_start", "sequence_end", "priority", "timeout"}


def v2_name(model_id: str) -> str:
    return model_id.replace("/", SEPARATOR)


def model_id_of(name: str) -> str:
    """The id of a v2 name; `{name}/versions/{v}` (a client asking for a version) names the same
    model when `v` is the id's own version (an id carries its version), else no model."""
    base, found, version = name.rpartition("/versions/")
    if found:
        model_id = base.replace(SEPARATOR, "/")
        parts = model_id.split("/", 2)
        return model_id if len(parts) == 3 and parts[1] == version else f"{model_id}/versions/{version}"
    return name.replace(SEPARATOR, "/")


def signature_of(model_type: ModelType, model_id: str) -> V2Signature:
    if model_type.compat.v2 is None:
        raise not_found("no_v2_signature", f"{model_id} is a {model_type.name} model, which has no v2 signature.")
    return model_type.compat.v2


def metadata(spec: ModelSpec) -> dict[str, Any]:
    model_type = get_model_type(spec.type)
    signature = signature_of(model_type, spec.id)
    batch = -1 if model_type.accepts_list else 1
    return {
        "name": v2_name(spec.id),
        "versions": [spec.version],
        "platform": f"typeserve/{spec.runtime}",
        "parameters": {"typeserveId": spec.id, "type": model_type.name},
        "inputs": [
            {"name": i.name, "datatype": "BYTES", "shape": [-1] if i.many else [batch]} for i in signature.inputs
        ],
        "outputs": [{"name": o.name, "datatype": o.datatype, "shape": [batch, *o.shape]} for o in signature.outputs],
    }


@router.get("/health/live")
async def live() -> Response:
    return json_response({"live": True})


@router.get("/health/ready")
async def ready(request: Request) -> Response:
    if not getattr(request.app.state, "ready", False):
        raise unavailable("starting", f"Starting: {getattr(request.app.state, 'startup_phase', 'starting')}.")
    return json_response({"ready": True})


@router.get("")
async def server_metadata() -> Response:
    return json_response({"name": "typeserve", "version": __version__, "extensions": ["binary_tensor_data"]})


@router.get("/models/{name:path}/ready")
async def model_ready(name: str, request: Request) -> Response:
    """Ready when the model can serve now (loaded, or loaded on its first request)."""
    await authorize_invoke(request)
    services: Services = request.app.state.services
    spec = await asyncio.to_thread(services.catalog.get, model_id_of(name))
    status = model_status(spec, services.engine)
    if status["status"] == "unavailable":
        raise unavailable("model_unavailable", f"{spec.id} is unavailable: {status.get('reason')}.")
    return json_response({"name": v2_name(spec.id), "ready": True})


@router.get("/models/{name:path}")
async def model_metadata(name: str, request: Request) -> Response:
    await authorize_invoke(request)
    services: Services = request.app.state.services
    return json_response(metadata(await asyncio.to_thread(services.catalog.get, model_id_of(name))))


def element(tensor: Tensor, value: bytes, media: str | None) -> Any:
    if media is None:
        return value.decode("utf-8", "replace")
    # A binary tensor holds the file; a JSON one holds its base64 (or a URL) as text.
    text = base64.b64encode(value).decode("ascii") if tensor.binary else value.decode("ascii", "replace")
    return media_ref(text)


def input_payload(
    model_type: ModelType, signature: V2Signature, tensors: list[Tensor], parameters: dict[str, Any]
) -> dict[str, Any]:
    """The type's Input from the tensors (one element per input) and the request parameters."""
    by_name = {tensor.name: tensor for tensor in tensors}
    unknown = [name for name in by_name if name not in {i.name for i in signature.inputs}]
    if unknown:
        raise invalid_field(
            f"inputs.{unknown[0]}", "unknown input", f"Inputs are {[i.name for i in signature.inputs]}."
        )
    payload: dict[str, Any] = {k: v for k, v in parameters.items() if k not in PROTOCOL_PARAMETERS}
    for spec_input in signature.inputs:
        tensor = by_name.get(spec_input.name)
        if tensor is None:
            raise invalid_field(
                f"inputs.{spec_input.name}", "required", f"Input tensor {spec_input.name!r} is missing."
            )
        if tensor.datatype != "BYTES":
            raise invalid_field(f"inputs.{tensor.name}.datatype", "must be BYTES", f"{tensor.name} is a BYTES tensor.")
        values = [element(tensor, value, spec_input.media) for value in tensor.data]
        if spec_input.many or model_type.accepts_list:
            payload[spec_input.name] = values
        elif len(values) != 1:
            raise invalid_field(f"inputs.{tensor.name}.shape", "one element", f"{model_type.name} takes one input.")
        else:
            payload[spec_input.media or spec_input.name] = values[0]
    return payload


def output_tensors(signature: V2Signature, body: Any) -> list[Tensor]:
    results = body["results"] if isinstance(body, dict) and isinstance(body.get("results"), list) else [body]
    tensors = []
    for spec_output in signature.outputs:
        values = [spec_output.value(result) for result in results]
        if spec_output.shape:
            width = len(values[0]) if values else 0
            flat = [x for value in values for x in value]
            tensors.append(Tensor(spec_output.name, spec_output.datatype, [len(values), width], flat))
        else:
            data = [v.encode("utf-8") if isinstance(v, str) else v for v in values]
            tensors.append(Tensor(spec_output.name, spec_output.datatype, [len(values)], data))
    return tensors


@router.post("/models/{name:path}/infer", response_model=None)
async def infer(name: str, request: Request) -> Response:
    services: Services = request.app.state.services
    state: dict[str, Any] = {}

    async def read(target: Target) -> Any:
        refuse_unknown_query(request)
        signature = signature_of(target.model_type, target.spec.id)
        body = await read_limited_body(request, services.settings.max_body_bytes)
        header, tensors = parse_request(body, request.headers.get(HEADER_LENGTH))
        parameters = header.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise invalid_field("parameters", "an object", "parameters: an object of named parameters.")
        state.update(signature=signature, header=header, parameters=parameters)
        return input_payload(target.model_type, signature, tensors, parameters)

    def write(result: InvocationResult) -> Response:
        header, signature = state["header"], state["signature"]
        tensors = output_tensors(signature, result.body)
        requested = header.get("outputs")
        if isinstance(requested, list) and requested:
            wanted = {str(o.get("name")): o for o in requested if isinstance(o, dict)}
            tensors = [t for t in tensors if t.name in wanted]
            binary = {n for n, o in wanted.items() if (o.get("parameters") or {}).get("binary_data")}
        else:
            binary = {t.name for t in tensors} if state["parameters"].get("binary_data_output") else set()
        answer = {"model_name": v2_name(result.spec.id), "model_version": result.spec.version}
        if header.get("id") is not None:
            answer["id"] = header["id"]
        content, header_length = encode_response(answer, tensors, binary)
        headers = {HEADER_LENGTH: str(header_length)} if header_length is not None else None
        media_type = "application/octet-stream" if header_length is not None else "application/json"
        return Response(content, media_type=media_type, headers=headers)

    return await invoke_over_http(request, model_id_of(name), read, write)
