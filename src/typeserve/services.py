"""The long-lived parts of a typeserve process, built once from Settings and shared by the
HTTP app and the CLI: database, catalog, key store, usage recorder and engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from typeserve.accounts.keys import ApiKeyStore
from typeserve.accounts.usage import UsageRecorder
from typeserve.catalog import Catalog
from typeserve.catalog.registry_store import RegisteredModelStore
from typeserve.config import Settings
from typeserve.engine import Engine
from typeserve.engine.choice import build_engine
from typeserve.engine.metrics import ServingMetrics
from typeserve.modeltypes.media import MediaLimits
from typeserve.store import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    catalog: Catalog
    keys: ApiKeyStore
    usage: UsageRecorder
    engine: Engine
    metrics: ServingMetrics
    media_limits: MediaLimits = field(default_factory=MediaLimits)

    def close(self) -> None:
        self.usage.stop()
        self.db.close()


def open_database(settings: Settings) -> Database:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url())
    db.migrate()
    return db


def build_services(settings: Settings, engine: Engine | None = None) -> Services:
    db = open_database(settings)
    keys = ApiKeyStore(db, cache_ttl_s=settings.key_cache_ttl_s)
    metrics = ServingMetrics()
    return Services(
        settings=settings,
        db=db,
        catalog=Catalog.default(settings.catalog_files, registry=RegisteredModelStore(db)),
        keys=keys,
        usage=UsageRecorder(db, keys),
        engine=engine or build_engine(settings, metrics),
        metrics=metrics,
        media_limits=MediaLimits.from_settings(settings),
    )
