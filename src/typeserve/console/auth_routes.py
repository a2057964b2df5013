"""Sign-in and sign-out. The sign-in page hands out an anonymous session whose CSRF token the
form must echo; a successful sign-in replaces it with a new session for the user."""

from __future__ import annotations

import asyncio
import math

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from typeserve.accounts.passwords import check_credentials
from typeserve.accounts.session_epochs import end_sessions, session_epoch
from typeserve.accounts.sessions import (
    COOKIE_NAME,
    KNOWN_DEVICE_COOKIE,
    KNOWN_DEVICE_MAX_AGE_S,
    SessionData,
    codec_of,
    current_user,
    is_https,
    read_session,
    write_session,
)
from typeserve.console.pages import check_form_csrf, render, safe_next
from typeserve.console.throttle import SignInThrottle

router = APIRouter(include_in_schema=False)


def throttle_of(request: Request) -> SignInThrottle:
    throttle: SignInThrottle | None = getattr(request.app.state, "signin_throttle", None)
    if throttle is None:
        throttle = request.app.state.signin_throttle = SignInThrottle()
    return throttle


def known_device_of(request: Request) -> str | None:
    """The user this browser signed in as before, from its signed cookie."""
    value = request.cookies.get(KNOWN_DEVICE_COOKIE)
    return codec_of(request).known_device_user(value) if value else None


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in_page(
    request: Request, session: SessionData, next_url: str, *, error: str = "", username: str = "", status: int = 200
) -> Response:
    response = render(
        request,
        "signin.html",
        {"session": session, "next_url": next_url, "error": error, "username": username, "title": "Sign in"},
        status=status,
    )
    write_session(request, response, session)
    return response


@router.get("/")
async def home(request: Request) -> Response:
    return RedirectResponse("/models", status_code=303)


@router.get("/signin")
async def sign_in_form(request: Request) -> Response:
    session = read_session(request)
    next_url = safe_next(request.query_params.get("next"))
    if await asyncio.to_thread(current_user, request, session) is not None:
        return RedirectResponse(next_url, status_code=303)
    # An ended session keeps its CSRF token only until the new sign-in replaces it.
    return sign_in_page(request, session or codec_of(request).new(None), next_url)


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    session = read_session(request)
    check_form_csrf(session, form)
    assert session is not None
    username = str(form.get("username") or "").strip()[:100]
    password = str(form.get("password") or "")
    next_url = safe_next(str(form.get("next") or ""))
    if not username or not password:
        return sign_in_page(
            request, session, next_url, error="Enter your username and password.", username=username, status=400
        )
    throttle = throttle_of(request)
    address = client_address(request)
    known = known_device_of(request) == username.lower()
    # Counted before the check (no await in between): concurrent guesses cannot outrun it.
    wait = throttle.begin(username, address, known)
    if wait > 0:
        message = f"Too many failed sign-ins. Try again in {math.ceil(wait)} seconds."
        response = sign_in_page(request, session, next_url, error=message, username=username, status=429)
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    # argon2 takes tens of milliseconds: keep it off the event loop.
    user = await asyncio.to_thread(check_credentials, request.app.state.services.db, username, password)
    if user is None:
        return sign_in_page(
            request, session, next_url, error="Wrong username or password.", username=username, status=401
        )
    throttle.succeeded(username, address, known)
    epoch = await asyncio.to_thread(session_epoch, request.app.state.services.db, user.id)
    response = RedirectResponse(next_url, status_code=303)
    write_session(request, response, codec_of(request).new(user.id, epoch))
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        codec_of(request).known_device(user.name),
        max_age=KNOWN_DEVICE_MAX_AGE_S,
        path="/signin",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )
    return response


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    """Ends every session of the user (a copied cookie stops working too), then forgets this one."""
    form = await request.form()
    session = read_session(request)
    check_form_csrf(session, form)
    user = await asyncio.to_thread(current_user, request, session)
    if user is not None:
        await asyncio.to_thread(end_sessions, request.app.state.services.db, user.id)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response
