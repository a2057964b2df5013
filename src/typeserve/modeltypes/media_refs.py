"""Wire shapes that point at media: inline base64 bytes or a URL to fetch, and the decoded
items runtimes of image and audio types receive (runtimes never parse wire payloads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from pydantic import Field, model_validator

from typeserve.modeltypes.base import WireModel

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image


class MediaRef(WireModel):
    Bytes: str | None = Field(default=None, description="The file, base64-encoded.")
    URL: str | None = Field(default=None, max_length=4096, description="An http(s) URL the server fetches.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.Bytes is None) == (self.URL is None):
            raise ValueError("give exactly one of Bytes or URL")
        return self


@dataclass(frozen=True)
class ImageItem:
    """A decoded image (RGB, EXIF orientation applied) plus the request's options."""

    image: Image.Image
    topK: int | None = None
    threshold: float | None = None

    @property
    def width(self) -> int:
        return int(self.image.width)

    @property
    def height(self) -> int:
        return int(self.image.height)


@dataclass(frozen=True)
class AudioItem:
    """Decoded audio: mono float32 samples in [-1, 1] at the model's sample rate."""

    samples: np.ndarray
    sample_rate: int
    topK: int | None = None
    language: str | None = None

    @property
    def duration_s(self) -> float:
        return len(self.samples) / float(self.sample_rate)
