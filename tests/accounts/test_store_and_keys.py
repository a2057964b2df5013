"""API keys and usage on a real database: SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from typeserve.accounts.keys import ApiKeyStore, KeyRejected
from typeserve.accounts.usage import Usage, UsageRecorder
from typeserve.accounts.users import issue_first_admin_key
from typeserve.store import Database
from typeserve.store.tables import ApiKey, UsageEvent, utcnow


@pytest.fixture
def db(database_url: str) -> Database:
    database = Database(database_url)
    database.migrate()
    yield database
    database.close()


def test_migrations_are_idempotent(db: Database) -> None:
    db.migrate()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() is not None


def test_key_is_random_shown_once_and_stored_only_as_hash(db: Database) -> None:
    store = ApiKeyStore(db)
    first, second = store.create("a"), store.create("b")
    assert first.secret != second.secret
    assert len(first.secret.split("_", 2)[2]) >= 22  # >= 128 bits of base64url randomness
    with db.session() as session:
        stored = [row.secret_hash for row in session.scalars(select(ApiKey))]
    assert first.secret not in stored and all(first.secret not in value for value in stored)
    assert store.verify(first.secret).id == first.info.id


def test_wrong_revoked_and_expired_keys_are_rejected(db: Database) -> None:
    store = ApiKeyStore(db, cache_ttl_s=60)
    key = store.create("k", ["invoke", "keys:manage"])
    assert store.verify(key.secret).scopes == ("invoke", "keys:manage")
    tampered = key.secret[:-2] + ("AA" if not key.secret.endswith("AA") else "BB")
    with pytest.raises(KeyRejected, match="not valid"):
        store.verify(tampered)
    with pytest.raises(KeyRejected, match="malformed"):
        store.verify("hello")
    assert store.revoke(key.info.id)
    assert not store.revoke(key.info.id)
    with pytest.raises(KeyRejected, match="revoked"):
        store.verify(key.secret)  # the cache is evicted at once on revocation
    expired = store.create("old", expires_at=utcnow() - timedelta(seconds=1))
    with pytest.raises(KeyRejected, match="expired"):
        store.verify(expired.secret)


def test_unknown_scope_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="unknown scope"):
        ApiKeyStore(db).create("k", ["root"])


def test_first_admin_key_is_issued_exactly_once(db: Database) -> None:
    store = ApiKeyStore(db)
    first = issue_first_admin_key(db, store)
    assert first is not None and "admin" in first.info.scopes
    assert issue_first_admin_key(db, store) is None


def test_usage_is_written_in_batches_and_marks_keys_used(db: Database) -> None:
    store = ApiKeyStore(db)
    key = store.create("metered")
    recorder = UsageRecorder(db, store)
    for status in (200, 200, 422):
        recorder.record(
            Usage(model_id="vader/1/sentiment", tier="cpuflex", status=status, duration_ms=1.5, key_id=key.info.id)
        )
    assert recorder.flush() == 3
    with db.session() as session:
        statuses = sorted(row.status for row in session.scalars(select(UsageEvent)))
    assert statuses == [200, 200, 422]
    info = store.get(key.info.id)
    assert info is not None and info.last_used_at is not None
