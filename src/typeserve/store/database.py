"""One database handle per process: engine, sessions, migrations to the newest schema."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from typeserve.config import Settings
from typeserve.store.private_files import private_dir, private_file

log = logging.getLogger("typeserve.store")


def normalize_url(url: str) -> str:
    """Accept the usual postgres:// spellings; SQLAlchemy wants an explicit driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_pragmas(busy_timeout_s: float) -> Any:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return apply


class Database:
    def __init__(self, url: str, busy_timeout_s: float = 10.0) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            path = self.url.split("///", 1)[-1]
            if path and path != ":memory:" and not path.startswith("file:"):
                # SQLite gives its -wal and -shm files the database file's mode.
                private_dir(Path(path).parent)
                private_file(Path(path))
            # hide_parameters: errors and logs never carry bound values (key hashes, passwords).
            self.engine: Engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s}, hide_parameters=True
            )
            event.listen(self.engine, "connect", sqlite_pragmas(busy_timeout_s))
        else:
            self.engine = create_engine(
                self.url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
            )
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (safe to run on every start)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(resources.files("typeserve.store").joinpath("migrations")))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def close(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings) -> Database:
    """The deployment's database, created and migrated to the current schema."""
    private_dir(settings.data_dir)
    db = Database(settings.resolved_database_url(), busy_timeout_s=settings.database_busy_timeout_s)
    db.migrate()
    return db
