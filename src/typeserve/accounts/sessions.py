"""The console's session cookie: a signed, timestamped token holding the signed-in user (or
none yet) and the session's CSRF token. The signing secret is TYPESERVE_SESSION_SECRET (give
every gateway of a deployment the same one) or else a 0600 file in the data directory; never
the database, whose readers must not be able to forge sessions."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.passwords import ConsoleUser, get_user
from typeserve.accounts.scopes import ALL_SCOPES, SESSION_SCOPES
from typeserve.accounts.session_epochs import session_epoch
from typeserve.config import Settings
from typeserve.store.database import Database
from typeserve.store.private_files import secret_file
from typeserve.store.tables import Setting, utcnow

COOKIE_NAME = "typeserve_session"
# Set on a successful sign-in and kept after signing out: "this browser signed in as <user>".
KNOWN_DEVICE_COOKIE = "typeserve_known"
KNOWN_DEVICE_MAX_AGE_S = 90 * 24 * 3600
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
# Where earlier versions kept the secret; removed at start so that it signs nothing any more.
LEGACY_SECRET_SETTING = "console_session_secret"
SECRET_FILE = "session-secret"


@dataclass(frozen=True)
class SessionData:
    user_id: int | None
    csrf: str
    # The user's session epoch when signing in (see accounts/session_epochs.py).
    epoch: int = 0


def session_secret(settings: Settings, db: Database) -> str:
    """The configured secret, or the data directory's secret file (created on first use)."""
    with db.session() as session:
        legacy = session.get(Setting, LEGACY_SECRET_SETTING)
        if legacy is not None:
            session.delete(legacy)
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    return secret_file(settings.data_dir / SECRET_FILE)


class SessionCodec:
    def __init__(self, secret: str, max_age_s: int) -> None:
        self.max_age_s = max_age_s
        self._serializer = URLSafeTimedSerializer(secret, salt="typeserve-console-session")
        self._known_devices = URLSafeTimedSerializer(secret, salt="typeserve-known-device")

    def known_device(self, username: str) -> str:
        return self._known_devices.dumps(username.strip().lower())

    def known_device_user(self, value: str) -> str | None:
        try:
            name = self._known_devices.loads(value, max_age=KNOWN_DEVICE_MAX_AGE_S)
        except (BadSignature, ValueError):
            return None
        return name if isinstance(name, str) else None

    def new(self, user_id: int | None, epoch: int = 0) -> SessionData:
        # A fresh CSRF token on every sign-in and sign-out: a token seen before cannot be replayed.
        return SessionData(user_id=user_id, csrf=secrets.token_urlsafe(24), epoch=epoch)

    def encode(self, data: SessionData) -> str:
        return self._serializer.dumps({"u": data.user_id, "c": data.csrf, "e": data.epoch})

    def decode(self, value: str) -> SessionData | None:
        try:
            payload = self._serializer.loads(value, max_age=self.max_age_s)
        except (BadSignature, ValueError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("c"), str):
            return None
        user_id, epoch = payload.get("u"), payload.get("e")
        return SessionData(
            user_id=user_id if isinstance(user_id, int) else None,
            csrf=payload["c"],
            epoch=epoch if isinstance(epoch, int) else 0,
        )


def codec_for(settings: Settings, db: Database) -> SessionCodec:
    """Built once per app at start (reads the database and maybe a file: not on the loop)."""
    return SessionCodec(session_secret(settings, db), settings.session_max_age_s)


def codec_of(request: Request) -> SessionCodec:
    """The app's codec (built at start; on first use where an app skipped that)."""
    state = request.app.state
    codec: SessionCodec | None = getattr(state, "session_codec", None)
    if codec is None:
        services = state.services
        codec = codec_for(services.settings, services.db)
        state.session_codec = codec
    return codec


def read_session(request: Request) -> SessionData | None:
    """The request's session as signed; whether it still holds a user is `current_user`'s call."""
    value = request.cookies.get(COOKIE_NAME)
    return codec_of(request).decode(value) if value else None


def current_user(request: Request, session: SessionData | None) -> ConsoleUser | None:
    """The signed-in user, unless the session is anonymous, the user is gone or their sessions
    were ended (signed out, password changed) after this one began."""
    if session is None or session.user_id is None:
        return None
    db = request.app.state.services.db
    user = get_user(db, session.user_id)
    if user is None or session_epoch(db, user.id) != session.epoch:
        return None
    return user


def is_https(request: Request) -> bool:
    public_url = request.app.state.services.settings.public_url or ""
    return request.url.scheme == "https" or public_url.startswith("https://")


def write_session(request: Request, response: Response, data: SessionData) -> None:
    codec = codec_of(request)
    response.set_cookie(
        COOKIE_NAME,
        codec.encode(data),
        max_age=codec.max_age_s,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def tokens_match(expected: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(expected.encode(), presented.encode())


def session_key(user: ConsoleUser) -> KeyInfo:
    """A signed-in console user as a key-like principal of the API and its use cases."""
    return KeyInfo(
        id="",
        name=f"console session of {user.name}",
        scopes=ALL_SCOPES if user.is_admin else SESSION_SCOPES,
        user_id=user.id,
        created_at=utcnow(),
        expires_at=None,
        revoked_at=None,
        last_used_at=None,
        session=True,
    )
