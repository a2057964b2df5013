"""Console passwords: argon2id hashes in `users.password_hash`, checked in constant time, and
the console's users (create, set a password, sign in)."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from typeserve.accounts.session_epochs import end_sessions
from typeserve.store.database import Database
from typeserve.store.tables import User

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified when the user does not exist, so that a wrong name costs as long as a wrong
    password. Made on first use: an argon2 hash takes 64 MiB and a tenth of a second."""
    return _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class ConsoleUser:
    id: int
    name: str
    is_admin: bool


class UserExists(Exception):
    """`create_user` was given a name that is taken."""


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"a password has at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise ValueError(f"a password has at most {MAX_PASSWORD_CHARS} characters")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def create_user(db: Database, name: str, password: str, *, is_admin: bool = False) -> ConsoleUser:
    name = name.strip()
    if not name or len(name) > 100:
        raise ValueError("a user name is 1 to 100 characters")
    check_password_rules(password)
    with db.session() as session:
        if session.scalars(select(User.id).where(User.name == name)).first() is not None:
            raise UserExists(f"a user named {name!r} exists already")
        user = User(name=name, is_admin=is_admin, password_hash=hash_password(password))
        session.add(user)
        session.flush()
        return ConsoleUser(user.id, user.name, user.is_admin)


def set_password(db: Database, name: str, password: str) -> bool:
    """False if there is no such user. A new password ends the user's console sessions."""
    check_password_rules(password)
    with db.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            return False
        if user.password_hash is not None and _verify(user.password_hash, password):
            return True  # unchanged (e.g. TYPESERVE_ADMIN_PASSWORD on every start): sessions live on
        user.password_hash = hash_password(password)
        user_id = user.id
    end_sessions(db, user_id)
    return True


def has_password(db: Database, name: str) -> bool:
    with db.session() as session:
        stored = session.scalars(select(User.password_hash).where(User.name == name)).first()
        return stored is not None


def check_credentials(db: Database, name: str, password: str) -> ConsoleUser | None:
    """The user if the password is right; None otherwise (unknown name or wrong password)."""
    with db.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        stored = user.password_hash if user is not None else None
        found = ConsoleUser(user.id, user.name, user.is_admin) if user is not None else None
    if not _verify(stored, password[:MAX_PASSWORD_CHARS]):
        return None
    return found


def get_user(db: Database, user_id: int) -> ConsoleUser | None:
    with db.session() as session:
        user = session.get(User, user_id)
        return ConsoleUser(user.id, user.name, user.is_admin) if user is not None else None
