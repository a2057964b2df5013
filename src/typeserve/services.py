"""The long-lived parts of a typeserve process, shared by the HTTP API and the console:
database, catalog, key store, usage recorder, engine and the invocation use case. They are
built in one place, the composition root (typeserve/app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from typeserve.accounts.keys import ApiKeyStore
from typeserve.accounts.usage import UsageRecorder
from typeserve.catalog import Catalog
from typeserve.config import Settings
from typeserve.engine import Engine
from typeserve.engine.metrics import ServingMetrics
from typeserve.inference import Inference
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
    media_limits: MediaLimits
    inference: Inference

    def close(self) -> None:
        self.usage.stop()
        self.db.close()
