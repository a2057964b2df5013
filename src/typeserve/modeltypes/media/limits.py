"""The bounds every piece of media is decoded under."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typeserve.config import Settings


@dataclass(frozen=True)
class MediaLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_audio_seconds: float = 600.0
    fetch_timeout_s: float = 10.0
    allow_private_urls: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaLimits:
        return cls(
            max_bytes=settings.max_media_bytes,
            max_pixels=settings.max_image_pixels,
            max_audio_seconds=settings.max_audio_seconds,
            fetch_timeout_s=settings.url_fetch_timeout_s,
            allow_private_urls=settings.allow_private_urls,
        )
