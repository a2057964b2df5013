"""The one error value of typeserve: a Problem with a *kind* (what went wrong, in the terms of
the domain), raised where a failure is understood. Only the HTTP edge (api/problems.py) maps a
kind to a status code and renders RFC 9457 problem+json."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """What kind of failure a Problem is; callers decide what that means for them."""

    INVALID_INPUT = "invalid_input"  # well-formed, but not what the operation takes
    MALFORMED_REQUEST = "malformed_request"
    BAD_MEDIA = "bad_media"
    TOO_LARGE = "too_large"
    LENGTH_REQUIRED = "length_required"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"
    TIMEOUT = "timeout"
    REQUEST_TIMEOUT = "request_timeout"  # the client was too slow to send its request
    UPSTREAM_FAILURE = "upstream_failure"
    INTERNAL = "internal"


class Problem(Exception):
    """A failure a client should see: its kind, a stable machine `code` and a sentence."""

    def __init__(
        self,
        kind: ErrorKind,
        code: str,
        title: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.kind = ErrorKind(kind)
        self.code = code
        self.title = title
        self.detail = detail or title
        self.headers = headers or {}
        self.errors = errors

    @property
    def status(self) -> int:
        """The HTTP status of this kind, as the HTTP edge's one mapping gives it."""
        from typeserve.api.problems import http_status

        return http_status(self.kind)

    def __reduce__(self) -> tuple[Any, ...]:
        # Problems cross process boundaries (model workers): rebuild from the fields.
        return (_rebuild_problem, (self.kind.value, self.code, self.title, self.detail, self.headers, self.errors))


def _rebuild_problem(
    kind: str, code: str, title: str, detail: str, headers: dict[str, str], errors: list[dict[str, Any]] | None
) -> Problem:
    return Problem(ErrorKind(kind), code, title, detail, headers=headers, errors=errors)


def bad_media(detail: str) -> Problem:
    return Problem(ErrorKind.BAD_MEDIA, "bad_media", "Undecodable media", detail)


def bad_request(code: str, detail: str, title: str = "Bad request") -> Problem:
    return Problem(ErrorKind.MALFORMED_REQUEST, code, title, detail)


def too_large(
    detail: str, code: str = "too_large", title: str = "Payload too large", field: str | None = None
) -> Problem:
    errors = [{"field": field, "message": detail}] if field else None
    return Problem(ErrorKind.TOO_LARGE, code, title, detail, errors=errors)


def length_required(detail: str) -> Problem:
    return Problem(ErrorKind.LENGTH_REQUIRED, "length_required", "Length required", detail)


def unsupported_media_type(detail: str) -> Problem:
    return Problem(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Unsupported media type", detail)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """`input.list[constrained-str].0` -> `input.0`: drop pydantic's union-branch names."""
    parts = [str(p) for p in loc if not (isinstance(p, str) and any(c in p for c in "[]-("))]
    return ".".join(parts) or "body"


SCHEMA_MISMATCH = "Request does not match the model type's input schema"


def validation_failed(errors: list[dict[str, Any]], title: str = SCHEMA_MISMATCH) -> Problem:
    """From pydantic-style errors (`loc`, `msg`): one message per field; `title` names what the
    route expected (a type's input, an API key request, an experiment)."""
    seen: dict[str, str] = {}
    for error in errors:
        seen.setdefault(field_path(error.get("loc", ())), str(error.get("msg", "invalid")))
    detail = "Invalid request: " + "; ".join(f"{field}: {message}" for field, message in seen.items())
    return Problem(
        ErrorKind.INVALID_INPUT,
        "validation_failed",
        title,
        detail,
        errors=[{"field": field, "message": message} for field, message in seen.items()],
    )


def invalid_field(
    field: str, message: str, detail: str, *, title: str = SCHEMA_MISMATCH, code: str = "validation_failed"
) -> Problem:
    """One field (or several, named in `fields`) is wrong: a 'validation_failed' naming it."""
    return invalid_fields([field], message, detail, title=title, code=code)


def invalid_fields(
    fields: list[str], message: str, detail: str, *, title: str = SCHEMA_MISMATCH, code: str = "validation_failed"
) -> Problem:
    return Problem(
        ErrorKind.INVALID_INPUT, code, title, detail, errors=[{"field": f, "message": message} for f in fields]
    )


def invalid_input(code: str, title: str, detail: str, errors: list[dict[str, Any]] | None = None) -> Problem:
    """Input the operation cannot serve, with a code of its own (`mask_truncated`, ...)."""
    return Problem(ErrorKind.INVALID_INPUT, code, title, detail, errors=errors)


def not_found(code: str, detail: str, errors: list[dict[str, Any]] | None = None) -> Problem:
    return Problem(ErrorKind.NOT_FOUND, code, "Not found", detail, errors=errors)


def method_not_allowed(detail: str, allow: str) -> Problem:
    return Problem(
        ErrorKind.METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed", detail, headers={"Allow": allow}
    )


def unauthenticated(detail: str, headers: dict[str, str] | None = None) -> Problem:
    return Problem(ErrorKind.UNAUTHENTICATED, "unauthorized", "Unauthorized", detail, headers=headers)


def forbidden(detail: str) -> Problem:
    return Problem(ErrorKind.FORBIDDEN, "forbidden", "Forbidden", detail)


def conflict(code: str, title: str, detail: str) -> Problem:
    return Problem(ErrorKind.CONFLICT, code, title, detail)


def rate_limited(code: str, title: str, detail: str, retry_after: int) -> Problem:
    return Problem(ErrorKind.RATE_LIMITED, code, title, detail, headers={"Retry-After": str(retry_after)})


def quota_exceeded(detail: str, retry_after: int, resets_at: str) -> Problem:
    """A daily or monthly quota is used up; `resets_at` is when it is whole again (ISO 8601)."""
    headers = {"Retry-After": str(retry_after), "RateLimit-Reset-At": resets_at}
    return Problem(ErrorKind.RATE_LIMITED, "quota_exceeded", "Quota exceeded", detail, headers=headers)


def limits_unavailable(detail: str) -> Problem:
    """The rate-limit store cannot be reached and the operator chose to refuse (fail-closed)."""
    title = "Rate limits unavailable"
    return Problem(ErrorKind.UNAVAILABLE, "limits_unavailable", title, detail, headers={"Retry-After": "1"})


def unavailable(code: str, detail: str, retry_after: int = 5, title: str = "Service unavailable") -> Problem:
    return Problem(ErrorKind.UNAVAILABLE, code, title, detail, headers={"Retry-After": str(retry_after)})


def timed_out(detail: str, code: str = "inference_timeout", title: str = "Inference timed out") -> Problem:
    return Problem(ErrorKind.TIMEOUT, code, title, detail)


def request_timeout(detail: str) -> Problem:
    return Problem(
        ErrorKind.REQUEST_TIMEOUT, "request_timeout", "Request timeout", detail, headers={"Connection": "close"}
    )


def database_busy() -> Problem:
    return unavailable("database_busy", "The database is busy; try again shortly.", retry_after=2)


def upstream_failed(code: str, title: str, detail: str) -> Problem:
    return Problem(ErrorKind.UPSTREAM_FAILURE, code, title, detail)


def internal_error(
    detail: str = "The server failed; the error was logged.",
    code: str = "internal_error",
    title: str = "Internal server error",
) -> Problem:
    return Problem(ErrorKind.INTERNAL, code, title, detail)


def not_acceptable(detail: str) -> Problem:
    return Problem(ErrorKind.NOT_ACCEPTABLE, "not_acceptable", "Not acceptable", detail)


def upstream_unavailable(detail: str, retry_after: int = 5) -> Problem:
    """The API a remote model fronts cannot be reached (down, refused, circuit open)."""
    return unavailable("upstream_unavailable", detail, retry_after, title="Upstream unavailable")


def upstream_rate_limited(detail: str, retry_after: int) -> Problem:
    """The upstream kept answering 429 past what the gateway waits for: unavailable for now
    (a 429 would tell the caller that its own key is limited)."""
    return unavailable("upstream_rate_limited", detail, retry_after, title="Upstream rate limited")


def upstream_timeout(detail: str) -> Problem:
    return timed_out(detail, code="upstream_timeout", title="Upstream timed out")
