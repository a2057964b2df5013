"""The one error value of typeserve: raised where a failure is understood, rendered as
RFC 9457 problem+json in exactly one place (api/problems.py)."""

from __future__ import annotations

from typing import Any


class Problem(Exception):
    """A failure a client should see: HTTP status, a stable machine `code` and a sentence."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail or title
        self.headers = headers or {}
        self.errors = errors

    def __reduce__(self) -> tuple[Any, ...]:
        # Problems cross process boundaries (model workers): rebuild from the fields.
        return (_rebuild_problem, (self.status, self.code, self.title, self.detail, self.headers, self.errors))


def _rebuild_problem(
    status: int, code: str, title: str, detail: str, headers: dict[str, str], errors: list[dict[str, Any]] | None
) -> Problem:
    return Problem(status, code, title, detail, headers=headers, errors=errors)


def bad_media(detail: str) -> Problem:
    return Problem(400, "bad_media", "Undecodable media", detail)


def bad_request(code: str, detail: str) -> Problem:
    return Problem(400, code, "Bad request", detail)


def too_large(detail: str) -> Problem:
    return Problem(413, "too_large", "Payload too large", detail)


def unsupported_media_type(detail: str) -> Problem:
    return Problem(415, "unsupported_media_type", "Unsupported media type", detail)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """`input.list[constrained-str].0` -> `input.0`: drop pydantic's union-branch names."""
    parts = [str(p) for p in loc if not (isinstance(p, str) and any(c in p for c in "[]-("))]
    return ".".join(parts) or "body"


def validation_failed(errors: list[dict[str, Any]]) -> Problem:
    seen: dict[str, str] = {}
    for error in errors:
        seen.setdefault(field_path(error.get("loc", ())), str(error.get("msg", "invalid")))
    detail = "Invalid request: " + "; ".join(f"{field}: {message}" for field, message in seen.items())
    return Problem(
        422,
        "validation_failed",
        "Request does not match the model type's input schema",
        detail,
        errors=[{"field": field, "message": message} for field, message in seen.items()],
    )


def not_found(code: str, detail: str) -> Problem:
    return Problem(404, code, "Not found", detail)


def unavailable(code: str, detail: str, retry_after: int = 5, title: str = "Service unavailable") -> Problem:
    return Problem(503, code, title, detail, headers={"Retry-After": str(retry_after)})


def timed_out(detail: str, code: str = "inference_timeout", title: str = "Inference timed out") -> Problem:
    return Problem(504, code, title, detail)
