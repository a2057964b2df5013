"""API keys: at least 128 random bits, shown once, stored only as a SHA-256 hash (the keys
are high-entropy, so a fast hash is safe), compared in constant time, scoped, expirable and
revocable. Verified keys are cached for a short TTL so the request path rarely touches the
database, and key ids nobody issued are refused from a snapshot of the known ids (see
known_key_ids.py); revoking through this store evicts at once, and other processes see a
revocation within the TTL. `cached` answers without blocking; `verify` may ask the database."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from typeserve.accounts.known_key_ids import KnownKeyIds
from typeserve.accounts.scopes import DEFAULT_SCOPES, parse_scopes
from typeserve.store.database import Database
from typeserve.store.tables import ApiKey, utcnow

KEY_PREFIX = "tsk"


@dataclass(frozen=True)
class KeyInfo:
    id: str
    name: str
    scopes: tuple[str, ...]
    user_id: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    # True for a console session standing in for a key: its usage carries no key id.
    session: bool = False

    @property
    def prefix(self) -> str:
        return f"{KEY_PREFIX}_{self.id}"

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "scopes": list(self.scopes),
            "createdAt": self.created_at.isoformat(),
            "expiresAt": self.expires_at.isoformat() if self.expires_at else None,
            "revokedAt": self.revoked_at.isoformat() if self.revoked_at else None,
            "lastUsedAt": self.last_used_at.isoformat() if self.last_used_at else None,
        }


@dataclass(frozen=True)
class NewKey:
    info: KeyInfo
    secret: str


class KeyRejected(Exception):
    """Why a presented key does not authenticate (missing, malformed, unknown, revoked, expired)."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def split_key(secret: str) -> str | None:
    """The key id inside `tsk_<id>_<random>`, or None if the text is not shaped like a key."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1].isalnum() or len(parts[2]) < 22:
        return None
    return parts[1]


def _info(row: ApiKey) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        name=row.name,
        scopes=tuple(row.scopes.split()),
        user_id=row.user_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class ApiKeyStore:
    def __init__(self, db: Database, cache_ttl_s: float = 1.0, on_lookup: Callable[[str], None] | None = None) -> None:
        self.db = db
        self.cache_ttl_s = cache_ttl_s
        # Told "found" or "unknown" for every key looked up in the database (a metric).
        self.on_lookup = on_lookup
        self._cache: dict[str, tuple[float, str, KeyInfo]] = {}
        self._lock = threading.Lock()
        self.known = KnownKeyIds(self._key_ids, cache_ttl_s)

    def _key_ids(self, limit: int) -> list[str]:
        if self.on_lookup is not None:
            self.on_lookup("snapshot")
        with self.db.session() as session:
            return list(session.scalars(select(ApiKey.id).limit(limit)))

    def create(
        self,
        name: str,
        scopes: tuple[str, ...] | list[str] = DEFAULT_SCOPES,
        *,
        user_id: int | None = None,
        expires_at: datetime | None = None,
    ) -> NewKey:
        scopes = parse_scopes(list(scopes) or list(DEFAULT_SCOPES))
        name = name.strip()
        if not name or len(name) > 100:
            raise ValueError("a key name is 1 to 100 characters")
        key_id = secrets.token_hex(6)
        secret = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
        row = ApiKey(
            id=key_id,
            user_id=user_id,
            name=name,
            secret_hash=hash_secret(secret),
            scopes=" ".join(scopes),
            created_at=utcnow(),
            expires_at=expires_at,
        )
        with self.db.session() as session:
            session.add(row)
        self.known.added(key_id)
        return NewKey(info=_info(row), secret=secret)

    def cached(self, secret: str) -> KeyInfo | None:
        """The key's info without touching the database, KeyRejected, or None when only the
        database can tell (then call `verify`, off the event loop)."""
        key_id = split_key(secret)
        if key_id is None:
            raise KeyRejected("The API key is malformed.")
        entry = self._cache.get(key_id)
        if entry and time.monotonic() - entry[0] < self.cache_ttl_s:
            return self._check(secret, entry[1], entry[2])
        if self.known.surely_unknown(key_id):
            raise KeyRejected("The API key is not valid.")
        return None

    def verify(self, secret: str) -> KeyInfo:
        """Like `cached`, asking the database when the cache cannot tell (blocking)."""
        found = self.cached(secret)
        if found is not None:
            return found
        key_id = split_key(secret)
        assert key_id is not None
        if not self.known.may_exist(key_id):
            raise KeyRejected("The API key is not valid.")
        now = time.monotonic()
        with self.db.session() as session:
            row = session.get(ApiKey, key_id)
            if self.on_lookup is not None:
                self.on_lookup("found" if row is not None else "unknown")
            if row is None:
                self.known.remember_unknown(key_id)
                raise KeyRejected("The API key is not valid.")
            stored_hash, info = row.secret_hash, _info(row)
        with self._lock:
            self._cache[key_id] = (now, stored_hash, info)
        return self._check(secret, stored_hash, info)

    @staticmethod
    def _check(secret: str, stored_hash: str, info: KeyInfo) -> KeyInfo:
        presented = hash_secret(secret)
        if not hmac.compare_digest(presented, stored_hash):
            raise KeyRejected("The API key is not valid.")
        if info.revoked_at is not None:
            raise KeyRejected("The API key has been revoked.")
        if info.expires_at is not None and info.expires_at <= utcnow():
            raise KeyRejected("The API key has expired.")
        return info

    def list(self, user_id: int | None = None, include_revoked: bool = True) -> list[KeyInfo]:
        with self.db.session() as session:
            query = select(ApiKey).order_by(ApiKey.created_at)
            if user_id is not None:
                query = query.where(ApiKey.user_id == user_id)
            if not include_revoked:
                query = query.where(ApiKey.revoked_at.is_(None))
            return [_info(row) for row in session.scalars(query)]

    def get(self, key_id: str) -> KeyInfo | None:
        with self.db.session() as session:
            row = session.get(ApiKey, key_id)
            return _info(row) if row else None

    def revoke(self, key_id: str) -> bool:
        """True if the key existed and was active."""
        with self.db.session() as session:
            result = session.execute(
                update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=utcnow())
            )
            changed = bool(getattr(result, "rowcount", 0))
        with self._lock:
            self._cache.pop(key_id, None)
        return changed

    def touch(self, last_used: dict[str, datetime]) -> None:
        """Record when keys were last used (called in batches off the request path)."""
        if not last_used:
            return
        with self.db.session() as session:
            for key_id, at in last_used.items():
                session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at))

    def count(self) -> int:
        with self.db.session() as session:
            return len(session.scalars(select(ApiKey.id)).all())
