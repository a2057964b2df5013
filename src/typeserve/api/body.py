"""Reading request bodies under a size limit: a declared Content-Length over the limit is
refused before a byte is read, and a streamed body is cut off as soon as it passes it.

One convention for every JSON route (invoke, API keys, experiments): a body sent with
application/json, with no Content-Type at all, or with the types curl `-d` and HTML forms
send by default (application/x-www-form-urlencoded, text/plain) is read as JSON; any other
Content-Type is a 415."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request

from typeserve.errors import invalid_field, too_large, unsupported_media_type

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


def require_json_like(request: Request) -> None:
    content_type = media_type_of(request)
    if content_type not in JSON_LIKE:
        raise unsupported_media_type(f"Content-Type {content_type!r} is not accepted; send application/json.")


async def read_json_body(request: Request, limit: int) -> tuple[Any, int]:
    """The parsed JSON body of a JSON route (after the Content-Type convention) and its size."""
    require_json_like(request)
    body = await read_limited_body(request, limit)
    return parse_json_body(body), len(body)


def media_type_of(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
