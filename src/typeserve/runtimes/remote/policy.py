"""How patiently a remote model's upstream is called (timeouts, retries, waits), read from
its catalog entry's options; no HTTP library is imported here, so the server starts small."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROTOCOL_NAMES = ("typeserve", "hf", "openai", "v2")


@dataclass(frozen=True)
class UpstreamPolicy:
    timeout_s: float = 30.0
    retries: int = 2
    backoff_s: float = 0.5
    max_retry_wait_s: float = 10.0
    allow_private: bool = False


def policy_of(options: dict[str, Any], allow_private: bool) -> UpstreamPolicy:
    defaults = UpstreamPolicy()
    return UpstreamPolicy(
        timeout_s=float(options.get("timeout_s", defaults.timeout_s)),
        retries=int(options.get("retries", defaults.retries)),
        backoff_s=float(options.get("backoff_s", defaults.backoff_s)),
        max_retry_wait_s=float(options.get("max_retry_wait_s", defaults.max_retry_wait_s)),
        allow_private=allow_private,
    )
