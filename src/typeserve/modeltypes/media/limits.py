"""The bounds every piece of media is decoded under."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_audio_seconds: float = 600.0
    fetch_timeout_s: float = 10.0
    allow_private_urls: bool = False
