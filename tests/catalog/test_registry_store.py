"""The registry of user-added models on SQLite and PostgreSQL, and the catalog reading it:
what one process adds or removes, another process's catalog sees at its next lookup."""

from __future__ import annotations

import pytest

from typeserve.catalog import Catalog, ModelSpec
from typeserve.catalog.registry_store import RegisteredModelStore
from typeserve.errors import Problem
from typeserve.store import Database


def spec(model_id: str, title: str = "A tiny BERT") -> ModelSpec:
    return ModelSpec(
        id=model_id,
        type="text-classification",
        runtime="transformers",
        title=title,
        labels=["NEGATIVE", "POSITIVE"],
        options={"path": "/models/tiny-bert"},
    )


def test_registered_models_persist_and_reach_other_catalogs(database_url: str) -> None:
    writer_db, reader_db = Database(database_url), Database(database_url)
    writer_db.migrate()
    try:
        writer = RegisteredModelStore(writer_db)
        # The reader's catalog exists before the model is added, as a running server's does.
        catalog = Catalog.default(registry=RegisteredModelStore(reader_db))
        assert "local/1/tiny-bert" not in catalog

        writer.add(spec("local/1/tiny-bert"))
        assert catalog.get("local/1/tiny-bert").options == {"path": "/models/tiny-bert"}
        assert [s.id for s in catalog.search(q="tiny", type="text-classification")] == ["local/1/tiny-bert"]
        assert "vader/1/sentiment" in [s.id for s in catalog.all()]

        with pytest.raises(ValueError, match="already registered"):
            writer.add(spec("local/1/tiny-bert"))
        writer.add(spec("local/1/tiny-bert", title="Renamed"), replace=True)
        assert catalog.get("local/1/tiny-bert").title == "Renamed"

        assert writer.remove("local/1/tiny-bert") is True
        assert writer.remove("local/1/tiny-bert") is False
        with pytest.raises(Problem) as missing:
            catalog.get("local/1/tiny-bert")
        assert missing.value.status == 404
        assert "local/1/tiny-bert" not in [s.id for s in catalog.search(q="tiny")]
    finally:
        writer_db.close()
        reader_db.close()


def test_default_catalog_ids_win_over_registered_ones(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    try:
        store = RegisteredModelStore(db)
        store.add(spec("vader/1/sentiment", title="Impostor"))
        catalog = Catalog.default(registry=store)
        assert catalog.is_builtin("vader/1/sentiment")
        assert catalog.get("vader/1/sentiment").runtime == "builtin"
        assert [s.title for s in catalog.all() if s.id == "vader/1/sentiment"] != ["Impostor"]
    finally:
        db.close()
