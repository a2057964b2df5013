"""The SDK's exceptions: one class per problem+json status, each carrying the problem's
fields (`status`, `code`, `title`, `detail`, `type`, `request_id`, `errors`)."""

from __future__ import annotations

from typing import Any

import httpx


class TypeserveError(Exception):
    """Base of every error the SDK raises."""


class ConnectionFailed(TypeserveError):
    """The server could not be reached (or did not answer in time)."""


class ApiError(TypeserveError):
    """The server answered with an error (RFC 9457 problem+json)."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        *,
        type: str | None = None,
        request_id: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.type = type
        self.request_id = request_id
        self.errors = errors or []
        self.retry_after = retry_after
        self.attempts = attempts


class BadRequestError(ApiError):
    """400: undecodable base64 or media."""


class AuthenticationError(ApiError):
    """401: the API key is missing or invalid."""


class PermissionDeniedError(ApiError):
    """403: the API key lacks the scope."""


class NotFoundError(ApiError):
    """404: no such model (or type, or key)."""


class PayloadTooLargeError(ApiError):
    """413: the body or its media is too large."""


class UnsupportedMediaTypeError(ApiError):
    """415: the Content-Type is not accepted."""


class ValidationFailedError(ApiError):
    """422: the request does not match the model type's input schema; see `errors`."""


class RateLimitedError(ApiError):
    """429: too many requests; `retry_after` says how long to wait."""


class ServerError(ApiError):
    """5xx other than 503 and 504."""


class ServiceUnavailableError(ServerError):
    """503: the tier is unavailable or the model overloaded; `retry_after` says how long to wait."""


class InferenceTimeoutError(ServerError):
    """504: inference took longer than the deadline."""


BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: ValidationFailedError,
    429: RateLimitedError,
    503: ServiceUnavailableError,
    504: InferenceTimeoutError,
}


def error_from_response(response: httpx.Response, retry_after: float | None, attempts: int) -> ApiError:
    """The typed exception for an error response, from its problem+json body when it has one."""
    try:
        body = response.json()
    except ValueError:
        body = None
    problem: dict[str, Any] = body if isinstance(body, dict) else {}
    status = response.status_code
    cls = BY_STATUS.get(status, ServerError if status >= 500 else ApiError)
    return cls(
        status,
        str(problem.get("code") or "http_error"),
        str(problem.get("title") or response.reason_phrase),
        str(problem.get("detail") or response.text[:500] or response.reason_phrase),
        type=problem.get("type"),
        request_id=problem.get("requestId") or response.headers.get("x-request-id"),
        errors=problem.get("errors") if isinstance(problem.get("errors"), list) else None,
        retry_after=retry_after,
        attempts=attempts,
    )
