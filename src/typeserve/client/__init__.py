"""The typeserve Python SDK: `Client` and `AsyncClient` (httpx underneath), typed methods per
model type returning the types' pydantic Output models, retries on 429/503 honouring
Retry-After, and problem+json errors raised as typed exceptions."""

from typeserve.client.aio import AsyncClient
from typeserve.client.base import Invocation
from typeserve.client.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConnectionFailed,
    InferenceTimeoutError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ServiceUnavailableError,
    TypeserveError,
    UnsupportedMediaTypeError,
    ValidationFailedError,
)
from typeserve.client.retry import NO_RETRIES, RetryPolicy
from typeserve.client.sync import Client

__all__ = [
    "NO_RETRIES",
    "ApiError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConnectionFailed",
    "InferenceTimeoutError",
    "Invocation",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "ServiceUnavailableError",
    "TypeserveError",
    "UnsupportedMediaTypeError",
    "ValidationFailedError",
]
