"""Reading request bodies under a size limit: a declared Content-Length over the limit is
refused before a byte is read, and a streamed body is cut off as soon as it passes it."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request

from typeserve.errors import invalid_field, too_large

JSON_LIKE = ("application/json", "application/x-www-form-urlencoded", "text/plain", "")


async def read_limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(f"The request body is {declared} bytes; the limit is {limit}.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(f"The request body is larger than the limit of {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json_body(body: bytes) -> Any:
    if not body.strip():
        raise invalid_field("body", "required", "Send a JSON object.", title="Request body is empty")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise invalid_field(
            "body", "invalid JSON", f"The body is not valid JSON: {exc}.", title="Request body is not JSON"
        ) from None


def media_type_of(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
