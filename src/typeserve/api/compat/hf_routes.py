"""Hugging Face's task API: `POST /hf-inference/models/{model id}` (the path layout of HF's
router, so `InferenceClient(base_url=...)` or `model=<URL>` reach it), also under
`.../pipeline/{task}` as HF's client calls feature extraction. The body is `{"inputs",
"parameters"}` JSON or the raw file (a Content-Type, or none and sniffed); the answer is in
HF's shape. The type's `compat.hf` mapping says how; this router names no type."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from typeserve.api.body import media_type_of, parse_json_body, read_limited_body
from typeserve.api.compat.common import answer_response, refuse_unknown_query
from typeserve.api.invocation_frame import invoke_over_http
from typeserve.errors import invalid_field, not_found, unsupported_media_type
from typeserve.inference import InvocationResult, RawMedia, Target
from typeserve.modeltypes.compat import HfTask
from typeserve.modeltypes.compat.hf import flattened, input_fields
from typeserve.modeltypes.media.sniff import sniff_body
from typeserve.services import Services

router = APIRouter(tags=["Hugging Face compatible"])
PIPELINE = "/pipeline/"
# HF's legacy `options` ({"wait_for_model", "use_cache"}) ask nothing of the answer.
ENVELOPE_KEYS = {"inputs", "parameters", "options"}


def hf_task_of(target: Target, pipeline: str | None) -> HfTask:
    task = target.model_type.compat.hf
    if task is None:
        raise not_found(
            "no_hf_task", f"{target.spec.id} is a {target.model_type.name} model, which Hugging Face has no task for."
        )
    if pipeline is not None and pipeline != task.task:
        raise not_found("wrong_hf_task", f"{target.spec.id} serves the {task.task!r} task, not {pipeline!r}.")
    return task


def body_kind(request: Request, body: bytes, media: str) -> str:
    """`json`, `image` or `audio`: from the Content-Type, else from the body's first bytes
    (a text model's body is always JSON)."""
    content_type = media_type_of(request)
    if media == "text":
        return "json"
    top = content_type.split("/", 1)[0]
    if top in ("image", "audio"):
        return top
    if content_type in ("application/json", "text/json"):
        return "json"
    return sniff_body(body) or "json"


@router.post("/hf-inference/models/{model_path:path}", response_model=None)
async def hf_inference(model_path: str, request: Request) -> Response:
    services: Services = request.app.state.services
    model_id, _, pipeline = model_path.partition(PIPELINE)
    state: dict[str, Any] = {"parameters": {}}

    async def read(target: Target) -> Any:
        task = hf_task_of(target, pipeline or None)
        state["task"] = task
        refuse_unknown_query(request)
        body = await read_limited_body(request, services.settings.max_body_bytes)
        kind = body_kind(request, body, target.model_type.media)
        if kind != "json":
            if kind != target.model_type.media:
                raise unsupported_media_type(
                    f"{target.spec.id} is a {target.model_type.name} model; this body is {kind}."
                )
            return RawMedia(body)
        parsed = parse_json_body(body)
        if not isinstance(parsed, dict) or "inputs" not in parsed:
            raise invalid_field("inputs", "required", 'Send {"inputs": ..., "parameters": {...}} or the raw file.')
        parameters = parsed.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise invalid_field("parameters", "an object", "parameters: an object of named parameters.")
        # Some HF tasks (feature extraction) send their parameters beside `inputs`.
        parameters = {**{k: v for k, v in parsed.items() if k not in ENVELOPE_KEYS}, **parameters}
        state["parameters"] = flattened(parameters)
        return input_fields(task, parsed["inputs"], parameters)

    def write(result: InvocationResult) -> Response:
        task: HfTask = state["task"]
        body = result.body
        if isinstance(body, dict) and "results" in body and isinstance(body["results"], list):
            return answer_response([task.answer(output, state["parameters"]) for output in body["results"]])
        answer = task.answer(body, state["parameters"])
        return answer_response([answer] if task.wrap_single else answer)

    return await invoke_over_http(request, model_id, read, write)
