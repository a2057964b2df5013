"""The floor: a bare ASGI endpoint (no framework, no auth, no validation beyond the model's
own) calling the same model function typeserve serves. Run with uvicorn."""

from __future__ import annotations

import os

import orjson

from typeserve.catalog import Catalog
from typeserve.modeltypes import get_model_type
from typeserve.runtimes import get_runtime

MODEL_ID = os.environ.get("BENCH_MODEL", "vader/1/sentiment")
SPEC = Catalog.default().get(MODEL_ID)
INPUT = get_model_type(SPEC.type).Input
MODEL = get_runtime(SPEC.runtime).load(SPEC, "cpu")


async def app(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    output = MODEL.predict([INPUT.model_validate(orjson.loads(body))])[0]
    payload = orjson.dumps(output.model_dump(mode="json"))
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": payload})
