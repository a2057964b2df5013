"""Rendering console pages: the Jinja2 environment (autoescaped), the security headers every
page carries (a Content-Security-Policy that allows only our own scripts), the signed-in
viewer, and the CSRF check for forms."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from typeserve.accounts.passwords import ConsoleUser
from typeserve.accounts.sessions import CSRF_FIELD, SessionData, current_user, read_session, tokens_match

templates = Environment(
    loader=FileSystemLoader(str(resources.files("typeserve.console").joinpath("templates"))),
    autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

# Inline scripts and styles are refused: whatever a model card or a user supplies cannot run.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

NAV = [("/models", "Models"), ("/apikeys", "API Keys"), ("/experiments", "Experiments"), ("/usage", "Usage")]


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a page and their session."""

    user: ConsoleUser
    session: SessionData


class SignInRequired(Exception):
    """A page needs a session; answered with a redirect to the sign-in page."""


class FormExpired(Exception):
    """A form came without the session's CSRF token (forged, or the session changed)."""


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    session: SessionData | None = context.get("session")
    viewer: Viewer | None = context.get("viewer")
    if viewer is not None:
        session = viewer.session
    page = templates.get_template(template).render(
        request_path=request.url.path,
        nav=NAV,
        user=viewer.user if viewer else None,
        csrf=session.csrf if session else "",
        csrf_field=CSRF_FIELD,
        **context,
    )
    response = HTMLResponse(page, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    # Pages show per-user data (and, once, a new key's secret): never cache them.
    response.headers["Cache-Control"] = "no-store"
    return response


async def signed_in(request: Request) -> Viewer:
    session = read_session(request)
    user = await asyncio.to_thread(current_user, request, session)  # database reads, off the loop
    if user is None or session is None:
        raise SignInRequired()
    return Viewer(user=user, session=session)


def check_form_csrf(session: SessionData | None, form: Any) -> None:
    presented = form.get(CSRF_FIELD)
    if session is None or not isinstance(presented, str) or not tokens_match(session.csrf, presented):
        raise FormExpired()


def safe_next(target: str | None) -> str:
    """Only paths on this site: an open redirect would make phishing links look like ours."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/models"
    return target


def install_page_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _exc: SignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(FormExpired)
    async def _expired(request: Request, _exc: FormExpired) -> Response:
        return render(
            request,
            "message.html",
            {
                "title": "Form expired",
                "message": "This form was sent without a valid session token. Reload the page and try again.",
                "session": read_session(request),
            },
            status=400,
        )
