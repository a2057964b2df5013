"""The one place failures become RFC 9457 problem+json: Problems raised anywhere, FastAPI's
validation errors, HTTP errors from routing, and any unexpected exception (logged with its
traceback, answered without it)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from typeserve.api.responses import problem_response
from typeserve.errors import ErrorKind, Problem, database_busy, internal_error, validation_failed

log = logging.getLogger("typeserve.api")

# The one mapping from an error's kind to an HTTP status.
STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.INVALID_INPUT: 422,
    ErrorKind.MALFORMED_REQUEST: 400,
    ErrorKind.BAD_MEDIA: 400,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.LENGTH_REQUIRED: 411,
    ErrorKind.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.METHOD_NOT_ALLOWED: 405,
    ErrorKind.NOT_ACCEPTABLE: 406,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.CONFLICT: 409,
    ErrorKind.RATE_LIMITED: 429,
    ErrorKind.UNAVAILABLE: 503,
    ErrorKind.TIMEOUT: 504,
    ErrorKind.REQUEST_TIMEOUT: 408,
    ErrorKind.UPSTREAM_FAILURE: 502,
    ErrorKind.INTERNAL: 500,
}
KIND_OF_STATUS = {status: kind for kind, status in STATUS_OF_KIND.items() if kind is not ErrorKind.BAD_MEDIA}


def http_status(kind: ErrorKind) -> int:
    return STATUS_OF_KIND[kind]


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def render(problem: Problem, request: Request, status: int | None = None) -> Response:
    return problem_response(
        status or http_status(problem.kind),
        problem.code,
        problem.title,
        problem.detail,
        request_id_of(request),
        headers=problem.headers,
        errors=problem.errors,
    )


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return render(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors: list[dict[str, Any]] = [
            {**e, "loc": [p for p in e.get("loc", ()) if p not in ("body", "query", "path")]} for e in exc.errors()
        ]
        return render(validation_failed(errors, "Request parameters do not match this route"), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        kind = KIND_OF_STATUS.get(
            exc.status_code, ErrorKind.INTERNAL if exc.status_code >= 500 else ErrorKind.MALFORMED_REQUEST
        )
        problem = Problem(kind, code, detail, detail, headers=dict(exc.headers or {}))
        return render(problem, request, status=exc.status_code)

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError) -> Response:
        # A locked or unreachable database is a passing condition, not a server bug.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc.orig)
        return render(database_busy(), request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return render(internal_error(), request)
