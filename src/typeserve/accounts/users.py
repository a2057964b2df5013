"""Users and the first-start bootstrap: the `admin` user, its first API key and its first
console password."""

from __future__ import annotations

import logging

from sqlalchemy import select

from typeserve.accounts.keys import ApiKeyStore, NewKey
from typeserve.accounts.limits.policy import Limits
from typeserve.accounts.passwords import generate_password, has_password, set_password
from typeserve.accounts.scopes import ALL_SCOPES
from typeserve.store.database import Database
from typeserve.store.tables import Setting, User

FIRST_KEY_ISSUED = "first_admin_key_issued"

log = logging.getLogger("typeserve.accounts")


def ensure_user(db: Database, name: str, is_admin: bool = False) -> int:
    with db.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            user = User(name=name, is_admin=is_admin)
            session.add(user)
            session.flush()
        return user.id


def issue_first_admin_key(db: Database, keys: ApiKeyStore) -> NewKey | None:
    """The first admin key, exactly once per database; None on every later start."""
    with db.session() as session:
        if session.get(Setting, FIRST_KEY_ISSUED) is not None:
            return None
        # Claim the flag first: two servers starting together cannot both issue a key.
        session.add(Setting(key=FIRST_KEY_ISSUED, value="1"))
        session.flush()
        admin_id = session.scalars(select(User.id).where(User.name == "admin")).first()
        if admin_id is None:
            user = User(name="admin", is_admin=True)
            session.add(user)
            session.flush()
            admin_id = user.id
    return keys.create("first admin key", ALL_SCOPES, user_id=admin_id)


def provision_admin_password(db: Database, configured: str | None) -> str | None:
    """Give `admin` its console password. A configured one (TYPESERVE_ADMIN_PASSWORD) is set on
    every start and never echoed; otherwise, while `admin` has none (the first start), a random
    one is set and returned so that it is printed exactly once."""
    ensure_user(db, "admin", is_admin=True)
    if configured:
        try:
            set_password(db, "admin", configured)
        except ValueError as exc:
            log.error("TYPESERVE_ADMIN_PASSWORD is not usable (%s); the admin password is unchanged", exc)
        return None
    if has_password(db, "admin"):
        return None
    password = generate_password()
    set_password(db, "admin", password)
    return password


def set_user_limits(db: Database, name: str, limits: Limits) -> bool:
    """Replace a user's limit overrides (empty: the settings' user defaults); False if no such
    user. Gateways see the change within the key cache's TTL."""
    with db.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            return False
        user.limits = None if limits.is_empty() else limits.as_json()
    return True


def user_limits(db: Database, name: str) -> Limits | None:
    with db.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            return None
        return Limits.model_validate(user.limits or {})
