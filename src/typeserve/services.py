"""The long-lived parts of a typeserve process, built once from Settings and shared by the
HTTP app and the CLI: database, catalog, key store, usage recorder and engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from typeserve.accounts.keys import ApiKeyStore
from typeserve.accounts.usage import UsageRecorder
from typeserve.catalog import Catalog
from typeserve.catalog.registry_store import RegisteredModelStore
from typeserve.config import Settings
from typeserve.engine import Engine, LocalEngine
from typeserve.engine.metrics import ServingMetrics
from typeserve.modeltypes.media import MediaLimits
from typeserve.store import Database
from typeserve.store.private_files import private_dir


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
    private_dir(settings.data_dir)
    db = Database(settings.resolved_database_url(), busy_timeout_s=settings.database_busy_timeout_s)
    db.migrate()
    return db


def build_services(settings: Settings, engine: Engine | None = None) -> Services:
    db = open_database(settings)
    metrics = ServingMetrics()
    keys = ApiKeyStore(
        db, cache_ttl_s=settings.key_cache_ttl_s, on_lookup=lambda result: metrics.key_lookups.labels(result).inc()
    )
    budget = settings.memory_budget_mb * 2**20 if settings.memory_budget_mb else None
    return Services(
        settings=settings,
        db=db,
        catalog=Catalog.default(settings.catalog_files, registry=RegisteredModelStore(db)),
        keys=keys,
        usage=UsageRecorder(
            db, keys, journal_dir=settings.data_dir / "usage-journal" if settings.usage_journal else None
        ),
        engine=engine
        or LocalEngine(default_timeout_s=settings.inference_timeout_s, memory_budget_bytes=budget, metrics=metrics),
        metrics=metrics,
        media_limits=MediaLimits.from_settings(settings),
    )
