"""Pieces every compatibility router shares: the query parameters it takes (only the tier),
the type's mapping for a model, and answers that are JSON or a file."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from typeserve.api.query import TIER_PARAMETER
from typeserve.api.responses import json_response
from typeserve.errors import invalid_fields
from typeserve.modeltypes.compat import BinaryAnswer


def refuse_unknown_query(request: Request) -> None:
    unknown = list(dict.fromkeys(name for name in request.query_params if name != TIER_PARAMETER))
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise invalid_fields(
            [name[:100] for name in unknown[:20]],
            "unknown query parameter",
            f"Unknown query parameter(s) {shown}; this route takes {TIER_PARAMETER}.",
        )


def answer_response(answer: Any) -> Response:
    if isinstance(answer, BinaryAnswer):
        return Response(answer.content, media_type=answer.media_type)
    return json_response(answer)
