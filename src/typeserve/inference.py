"""Inference without HTTP (the CLI's `infer`): the same validation, media decoding, tier
resolution and engine as the invoke route."""

from __future__ import annotations

from typing import Any

from typeserve.api.body import validate_model
from typeserve.catalog import Catalog
from typeserve.config import Settings
from typeserve.engine import LocalEngine
from typeserve.engine.tiers import gpu_available, parse_tier, resolve_tier
from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.media import MediaLimits
from typeserve.modeltypes.prepare import DEFAULT_SAMPLE_RATE, prepare_items, prepare_raw_media


async def infer_locally(
    settings: Settings,
    model_id: str,
    tier_name: str,
    *,
    payload: Any = None,
    raw: bytes | None = None,
) -> tuple[Any, str]:
    spec = Catalog.default(settings.catalog_files).get(model_id)
    model_type = get_model_type(spec.type)
    tier = resolve_tier(
        parse_tier(tier_name),
        has_gpu=gpu_available(),
        fallback=settings.gpuflex_fallback,
        model_tiers=spec.serving.tiers,
    )
    limits = MediaLimits(
        max_bytes=settings.max_media_bytes,
        max_pixels=settings.max_image_pixels,
        max_audio_seconds=settings.max_audio_seconds,
        fetch_timeout_s=settings.url_fetch_timeout_s,
        allow_private_urls=settings.allow_private_urls,
    )
    rate = spec.sample_rate or DEFAULT_SAMPLE_RATE
    if raw is not None:
        if model_type.media == "text":
            raise ValueError(f"{model_id} is a text model; use --json")
        items, is_list = await prepare_raw_media(model_type, raw, {}, limits, rate), False
    else:
        items, is_list = await prepare_items(model_type, validate_model(model_type.Input, payload), limits, rate)
    engine = LocalEngine(default_timeout_s=settings.inference_timeout_s)
    try:
        result = await engine.infer(spec, tier, items)
    finally:
        await engine.stop()
    outputs = [o.model_dump(mode="json", exclude_none=True) for o in result.outputs]
    return ({"results": outputs} if is_list else outputs[0]), result.tier.value
