"""Pieces every compatibility router shares: the query parameters it takes (only the tier),
the type's mapping for a model, and answers that are JSON or a file."""

from __future__ import annotations

import base64
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from typeserve.api.problems import render
from typeserve.api.query import TIER_PARAMETER, refuse_query_except
from typeserve.api.responses import json_response
from typeserve.errors import Problem
from typeserve.modeltypes.compat import BinaryAnswer


def refuse_unknown_query(request: Request) -> None:
    refuse_query_except(request, {TIER_PARAMETER})


def answer_response(answer: Any) -> Response:
    """JSON, or a file as it is; files inside a list (one per input) go as base64 in JSON."""
    if isinstance(answer, BinaryAnswer):
        return Response(answer.content, media_type=answer.media_type)
    if isinstance(answer, list) and any(isinstance(item, BinaryAnswer) for item in answer):
        answer = [
            {"content": base64.b64encode(item.content).decode("ascii"), "content_type": item.media_type}
            if isinstance(item, BinaryAnswer)
            else item
            for item in answer
        ]
    return json_response(answer)


class ErrorMemberRoute(APIRoute):
    """A route whose problems also carry `"error": <detail>`, the member Triton's and KServe's
    clients read (RFC 9457 allows extension members); the problem itself is unchanged."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_error_member(request: Request) -> Response:
            try:
                return await handler(request)
            except Problem as problem:
                response = render(problem, request)
                body = orjson.loads(bytes(response.body))
                response.body = orjson.dumps({**body, "error": problem.detail})
                response.headers["content-length"] = str(len(response.body))
                return response

        return with_error_member
