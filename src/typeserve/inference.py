"""Inference without HTTP (the CLI's `infer`, evaluations): the same validation, media
decoding, tier resolution and engine as the invoke route, with models kept loaded for the
life of the context."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from typeserve.api.body import validate_model
from typeserve.catalog import Catalog
from typeserve.config import Settings
from typeserve.engine import LocalEngine
from typeserve.engine.tiers import gpu_available, parse_tier, resolve_tier
from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.media import MediaLimits
from typeserve.modeltypes.prepare import DEFAULT_SAMPLE_RATE, prepare_items, prepare_raw_media


class LocalInference:
    """`async with LocalInference(settings) as run: body, tier = await run(model_id, payload=...)`"""

    def __init__(self, settings: Settings, catalog: Catalog | None = None) -> None:
        self.settings = settings
        if catalog is None:
            from typeserve.catalog.registry_store import RegisteredModelStore
            from typeserve.services import open_database

            catalog = Catalog.default(settings.catalog_files, registry=RegisteredModelStore(open_database(settings)))
        self.catalog = catalog
        self.engine = LocalEngine(default_timeout_s=settings.inference_timeout_s)
        self.limits = MediaLimits.from_settings(settings)

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
        spec = self.catalog.get(model_id)
        model_type = get_model_type(spec.type)
        served_tier = resolve_tier(
            parse_tier(tier),
            has_gpu=gpu_available(),
            fallback=self.settings.gpuflex_fallback,
            model_tiers=spec.serving.tiers,
        )
        rate = spec.sample_rate or DEFAULT_SAMPLE_RATE
        if raw is not None:
            if model_type.media == "text":
                raise ValueError(f"{model_id} is a text model; give a JSON payload")
            items, is_list = await prepare_raw_media(model_type, raw, {}, self.limits, rate), False
        else:
            payload_model = validate_model(model_type.Input, payload)
            items, is_list = await prepare_items(model_type, payload_model, self.limits, rate)
        result = await self.engine.infer(spec, served_tier, items)
        outputs = [o.model_dump(mode="json", exclude_none=True) for o in result.outputs]
        return ({"results": outputs} if is_list else outputs[0]), result.tier.value


async def infer_locally(
    settings: Settings, model_id: str, tier_name: str, *, payload: Any = None, raw: bytes | None = None
) -> tuple[Any, str]:
    async with LocalInference(settings) as run:
        return await run(model_id, payload=payload, raw=raw, tier=tier_name)
