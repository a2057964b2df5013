"""Ending a user's console sessions. Session cookies are stateless and signed, so each carries
the user's session epoch from when it was issued; signing out or changing the password moves
the epoch on, and every cookie issued before stops working, on every gateway."""

from __future__ import annotations

from typeserve.store.database import Database
from typeserve.store.tables import Setting


def _key(user_id: int) -> str:
    return f"session_epoch:{user_id}"


def session_epoch(db: Database, user_id: int) -> int:
    with db.session() as session:
        row = session.get(Setting, _key(user_id))
        return int(row.value) if row is not None else 0


def end_sessions(db: Database, user_id: int) -> None:
    with db.session() as session:
        row = session.get(Setting, _key(user_id))
        if row is None:
            session.add(Setting(key=_key(user_id), value="1"))
        else:
            row.value = str(int(row.value) + 1)
