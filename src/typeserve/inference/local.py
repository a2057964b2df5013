"""Inference without HTTP (the CLI's `infer`, evaluations, local experiments): the invocation
use case on an engine of its own, with models kept loaded for the life of the context."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from typeserve.catalog import Catalog
from typeserve.config import Settings
from typeserve.engine import LocalEngine
from typeserve.engine.tiers import parse_tier
from typeserve.inference.invocation import Inference, RawMedia
from typeserve.modeltypes.media import MediaLimits


class LocalInference:
    """`async with LocalInference(settings) as run: body, tier = await run(model_id, payload=...)`"""

    def __init__(self, settings: Settings, catalog: Catalog | None = None) -> None:
        self.settings = settings
        if catalog is None:
            from typeserve.catalog.registry_store import RegisteredModelStore
            from typeserve.store import open_database

            catalog = Catalog.default(settings.catalog_files, registry=RegisteredModelStore(open_database(settings)))
        self.catalog = catalog
        self.engine = LocalEngine(default_timeout_s=settings.inference_timeout_s)
        self.limits = MediaLimits.from_settings(settings)
        self.inference = Inference(catalog, self.engine, settings, self.limits)

    async def __aenter__(self) -> LocalInference:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.engine.stop()

    async def __call__(
        self, model_id: str, *, payload: Any = None, raw: bytes | None = None, tier: str = "cpuflex"
    ) -> tuple[Any, str]:
        """The JSON answer (as the HTTP API gives it) and the tier that served it."""
        result = await self.inference.invoke(model_id, parse_tier(tier), RawMedia(raw) if raw is not None else payload)
        return result.body, result.tier.value


async def infer_locally(
    settings: Settings, model_id: str, tier_name: str, *, payload: Any = None, raw: bytes | None = None
) -> tuple[Any, str]:
    async with LocalInference(settings) as run:
        return await run(model_id, payload=payload, raw=raw, tier=tier_name)
