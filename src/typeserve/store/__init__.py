"""Persistence: SQLAlchemy models, sessions and Alembic migrations (SQLite by default,
PostgreSQL for clusters)."""

from typeserve.store.database import Database

__all__ = ["Database"]
