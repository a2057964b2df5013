"""typeserve: self-hosted model inference where every model is called through its type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from typeserve.client import AsyncClient, Client

__all__ = ["AsyncClient", "Client", "__version__"]


def __getattr__(name: str) -> Any:
    # The SDK is imported on first use, so `import typeserve` (and the server) stays light.
    if name in ("Client", "AsyncClient"):
        from typeserve import client

        return getattr(client, name)
    raise AttributeError(f"module 'typeserve' has no attribute {name!r}")
