"""Models users registered (`typeserve models add`), kept in the database as their catalog
entries, so that every process on the same data directory or database sees the same list."""

from __future__ import annotations

from sqlalchemy import select

from typeserve.catalog.spec import ModelSpec
from typeserve.store import Database
from typeserve.store.tables import RegisteredModel


class RegisteredModelStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, spec: ModelSpec, *, replace: bool = False) -> None:
        """Save a spec; ValueError if the id is taken and `replace` is False."""
        with self.db.session() as session:
            existing = session.get(RegisteredModel, spec.id)
            if existing is not None and not replace:
                raise ValueError(f"a model with id {spec.id!r} is already registered")
            if existing is None:
                session.add(RegisteredModel(id=spec.id, spec=spec.model_dump(mode="json")))
            else:
                existing.spec = spec.model_dump(mode="json")

    def remove(self, model_id: str) -> bool:
        with self.db.session() as session:
            existing = session.get(RegisteredModel, model_id)
            if existing is None:
                return False
            session.delete(existing)
            return True

    def get(self, model_id: str) -> ModelSpec | None:
        with self.db.session() as session:
            row = session.get(RegisteredModel, model_id)
            return ModelSpec.model_validate(row.spec) if row is not None else None

    def list(self) -> list[ModelSpec]:
        with self.db.session() as session:
            rows = session.scalars(select(RegisteredModel).order_by(RegisteredModel.id)).all()
            return [ModelSpec.model_validate(row.spec) for row in rows]
