"""The server's URL as its clients should use it, shared by the HTTP API and the console."""

from __future__ import annotations

from starlette.requests import Request


def public_base_url(request: Request) -> str:
    """The configured public URL (behind a proxy), else the URL the request came in on."""
    configured = request.app.state.services.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")
