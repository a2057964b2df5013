"""What a remote protocol is: how one item of a type becomes a call to the upstream's API, and
how its answer becomes the raw fields of the type's Output. One module per protocol."""

from __future__ import annotations

import base64
import json
from abc import ABC, abstractmethod
from typing import Any

import httpx

from typeserve.runtimes.remote.upstream import UpstreamRequest


class BadAnswer(ValueError):
    """The upstream answered 2xx with something that is not this protocol's answer."""


class RemoteProtocol(ABC):
    name: str
    # The types this protocol has a wire mapping for.
    types: frozenset[str]

    @abstractmethod
    def request(self, type_name: str, item: Any, options: dict[str, Any]) -> UpstreamRequest:
        """The call for one item."""

    @abstractmethod
    def answer(self, type_name: str, item: Any, response: httpx.Response, options: dict[str, Any]) -> Any:
        """The raw Output fields of one answer; BadAnswer if it is not one."""


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadAnswer(
            f"the answer is not JSON (content type {response.headers.get('content-type', 'none')})"
        ) from None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def first(value: Any, what: str) -> Any:
    """The first element of a non-empty list, or the value itself when it is not a list."""
    if isinstance(value, list):
        if not value:
            raise BadAnswer(f"the answer has no {what}")
        return value[0]
    return value
