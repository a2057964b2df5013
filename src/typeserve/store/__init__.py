"""Persistence: SQLAlchemy models, sessions and Alembic migrations (SQLite by default,
PostgreSQL for clusters)."""

from typeserve.store.database import Database, open_database

__all__ = ["Database", "open_database"]
