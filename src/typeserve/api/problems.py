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
from typeserve.errors import Problem, database_busy, validation_failed

log = logging.getLogger("typeserve.api")

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


def render(problem: Problem, request: Request) -> Response:
    return problem_response(
        problem.status,
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
        return render(validation_failed(errors), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return render(Problem(exc.status_code, code, detail, detail, headers=dict(exc.headers or {})), request)

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError) -> Response:
        # A locked or unreachable database is a passing condition, not a server bug.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc.orig)
        return render(database_busy(), request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return render(
            Problem(
                500,
                "internal_error",
                "Internal server error",
                "The server failed; the error was logged.",
            ),
            request,
        )
