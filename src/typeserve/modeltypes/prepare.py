"""From a validated request to the items a runtime predicts on: lists of texts are split into
one item each, media is fetched and decoded here once, so runtimes never see wire payloads."""

from __future__ import annotations

from typing import Any

import anyio

from typeserve.modeltypes.audio_input import AudioInputBase
from typeserve.modeltypes.base import ModelType, WireModel
from typeserve.modeltypes.media.audio import decode_audio
from typeserve.modeltypes.media.base64_bytes import decode_base64_media
from typeserve.modeltypes.media.images import decode_image
from typeserve.modeltypes.media.limits import MediaLimits
from typeserve.modeltypes.media.url_fetch import fetch_url
from typeserve.modeltypes.media_refs import AudioItem, ImageItem, MediaRef

DEFAULT_SAMPLE_RATE = 16_000


def split_inputs(model_type: ModelType, payload: WireModel) -> tuple[list[WireModel], bool]:
    """`{"input": [a, b]}` becomes two single-text inputs; answers then go under `results`."""
    value = getattr(payload, "input", None)
    if model_type.accepts_list and isinstance(value, list):
        return [payload.model_copy(update={"input": text}) for text in value], True
    return [payload], False


async def media_bytes(ref: MediaRef, limits: MediaLimits) -> bytes:
    if ref.Bytes is not None:
        return decode_base64_media(ref.Bytes, limits.max_bytes)
    assert ref.URL is not None
    return await fetch_url(
        ref.URL,
        max_bytes=limits.max_bytes,
        timeout_s=limits.fetch_timeout_s,
        allow_private=limits.allow_private_urls,
    )


async def image_item(data: bytes, options: dict[str, Any], limits: MediaLimits) -> ImageItem:
    image = await anyio.to_thread.run_sync(decode_image, data, limits.max_bytes, limits.max_pixels)
    return ImageItem(
        image=image,
        topK=options.get("topK"),
        threshold=options.get("threshold"),
        language=options.get("language"),
        maxLength=options.get("maxLength"),
    )


async def audio_item(data: bytes, options: dict[str, Any], limits: MediaLimits, sample_rate: int) -> AudioItem:
    samples = await anyio.to_thread.run_sync(
        decode_audio, data, sample_rate, limits.max_bytes, limits.max_audio_seconds
    )
    return AudioItem(
        samples=samples,
        sample_rate=sample_rate,
        topK=options.get("topK"),
        language=options.get("language"),
    )


async def prepare_items(
    model_type: ModelType,
    payload: WireModel,
    limits: MediaLimits,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
) -> tuple[list[Any], bool]:
    """Items for `LoadedModel.predict`, and whether the request was a list."""
    if model_type.media == "text":
        return split_inputs(model_type, payload)
    options = payload.model_dump(exclude={"imageRef", "audioRef", "Bytes"})
    if model_type.media == "image":
        data = await media_bytes(payload.imageRef, limits)  # type: ignore[attr-defined]
        return [await image_item(data, options, limits)], False
    assert isinstance(payload, AudioInputBase)
    data = await media_bytes(payload.media_ref(), limits)
    return [await audio_item(data, options, limits, sample_rate)], False


async def prepare_raw_media(
    model_type: ModelType,
    data: bytes,
    options: dict[str, Any],
    limits: MediaLimits,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
) -> list[Any]:
    """Items for a raw image/* or audio/* request body (options come from the query string)."""
    if model_type.media == "image":
        return [await image_item(data, options, limits)]
    return [await audio_item(data, options, limits, sample_rate)]
