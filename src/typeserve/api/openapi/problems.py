"""The error half of a per-model OpenAPI document: the problem+json schema and one reusable
response per status the invoke route can answer (DESIGN 1.1)."""

from __future__ import annotations

from typing import Any

from typeserve.api.responses import PROBLEM_TYPE_BASE

PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem: what failed, as a stable `code` and a sentence.",
    "required": ["type", "title", "status", "detail", "code", "requestId"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string", "description": "A short summary of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong with this request."},
        "code": {"type": "string", "description": "A stable machine-readable code, e.g. `validation_failed`."},
        "requestId": {"type": "string", "nullable": True, "description": "The request's X-Request-Id."},
        "errors": {
            "type": "array",
            "description": "For 422: the offending fields.",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

RETRY_AFTER = {
    "description": "Seconds to wait before retrying.",
    "schema": {"type": "integer", "minimum": 0},
}

# status -> (component name, description, example code, example detail, extra headers)
ERRORS: dict[int, tuple[str, str, str, str, dict[str, Any]]] = {
    400: ("BadRequest", "Undecodable base64 or media.", "bad_media", "The image could not be decoded.", {}),
    401: (
        "Unauthorized",
        "The API key is missing or invalid.",
        "unauthorized",
        "Send an API key as 'Authorization: Bearer <key>'.",
        {"WWW-Authenticate": {"description": "The Bearer challenge.", "schema": {"type": "string"}}},
    ),
    403: ("Forbidden", "The API key lacks the `invoke` scope.", "forbidden", "This key lacks the 'invoke' scope.", {}),
    404: ("NotFound", "No such model.", "unknown_model", "No model with that id.", {}),
    413: ("PayloadTooLarge", "The body or its media is too large.", "too_large", "The request body is too large.", {}),
    415: (
        "UnsupportedMediaType",
        "The Content-Type is not accepted.",
        "unsupported_media_type",
        "Content-Type 'text/csv' is not accepted; send application/json.",
        {},
    ),
    422: (
        "ValidationFailed",
        "The body or a parameter does not match the schema; `errors` names the fields.",
        "validation_failed",
        "Invalid request: input: Field required",
        {},
    ),
    429: ("RateLimited", "Too many requests for this key.", "rate_limited", "Slow down.", {"Retry-After": RETRY_AFTER}),
    500: ("InternalError", "The server failed; the error was logged.", "internal_error", "The server failed.", {}),
    503: (
        "ServiceUnavailable",
        "The tier is unavailable (e.g. gpuflex without a GPU) or the model is overloaded.",
        "tier_unavailable",
        "The gpuflex tier is unavailable: this deployment has no GPU.",
        {"Retry-After": RETRY_AFTER},
    ),
    504: ("InferenceTimeout", "Inference took longer than the deadline.", "inference_timeout", "Timed out.", {}),
}


def error_responses() -> dict[str, Any]:
    """`components/responses`: one problem+json response per error status."""
    responses: dict[str, Any] = {}
    for status, (name, description, code, detail, headers) in ERRORS.items():
        example = {
            "type": PROBLEM_TYPE_BASE + code,
            "title": description.split(";")[0].rstrip("."),
            "status": status,
            "detail": detail,
            "code": code,
            "requestId": "3f2c9d0e8b7a4c1d9e6f5a4b3c2d1e0f",
        }
        content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}, "example": example}}
        response: dict[str, Any] = {"description": description, "content": content}
        if headers:
            response["headers"] = headers
        responses[name] = response
    return responses


def error_refs() -> dict[str, Any]:
    """The `responses` entries of an operation that point at the shared error responses."""
    return {str(status): {"$ref": f"#/components/responses/{name}"} for status, (name, *_) in ERRORS.items()}
