"""Key guessing and the usage journal on a real database (SQLite and PostgreSQL): a flood of
unknown keys costs a bounded number of lookups while a key made by another process works at
once, and journaled usage that a dead process left behind is replayed exactly once."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from typeserve.accounts.keys import ApiKeyStore, KeyRejected
from typeserve.accounts.usage import Usage, UsageRecorder
from typeserve.store import Database
from typeserve.store.tables import UsageEvent


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.close()


def guessed_key() -> str:
    return f"tsk_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"


def test_guessing_costs_a_bounded_number_of_lookups_and_new_keys_still_work(db: Database) -> None:
    lookups: list[str] = []
    server = ApiKeyStore(db, cache_ttl_s=60, on_lookup=lookups.append)
    for _ in range(500):
        with pytest.raises(KeyRejected):
            server.verify(guessed_key())
    assert len(lookups) <= 12, lookups
    # Made by another process (the CLI, another gateway) while nobody guesses: works at once.
    quiet = ApiKeyStore(db, cache_ttl_s=60, on_lookup=lookups.append)
    quiet.verify(quiet.create("warm").secret)
    made_elsewhere = ApiKeyStore(db).create("from elsewhere")
    assert quiet.verify(made_elsewhere.secret).name == "from elsewhere"


def test_usage_left_in_the_journal_by_a_dead_process_is_replayed_once(db: Database, tmp_path: Path) -> None:
    keys = ApiKeyStore(db)
    dead = UsageRecorder(db, keys, journal_dir=tmp_path)
    assert dead.journal is not None
    for number in range(5):
        dead.record(Usage(model_id="m/1/x", tier="cpuflex", status=200, duration_ms=1.0, request_id=f"r{number}"))
    # As if the process died after inserting these rows but before deleting their segment:
    leftover = tmp_path / "usage-0-dead-00000000.jsonl"
    leftover.write_bytes(dead.journal.current.path.read_bytes())
    assert dead.flush() == 5
    dead.record(Usage(model_id="m/1/x", tier="cpuflex", status=200, duration_ms=1.0, request_id="r5"))
    dead.journal.current.close()  # killed: its lock goes with it, its last segment stays

    replacement = UsageRecorder(db, keys, journal_dir=tmp_path)
    assert replacement.replay() == 1
    with db.session() as session:
        ids = sorted(row.request_id for row in session.scalars(select(UsageEvent)))
    assert ids == ["r0", "r1", "r2", "r3", "r4", "r5"]
    assert replacement.journal is not None
    assert [p.name for p in tmp_path.glob("usage-*.jsonl")] == [replacement.journal.current.path.name]
