"""The request shape shared by audio types: `{"Bytes": ...}` or `{"audioRef": {...}}`."""

from typing import Self

from pydantic import Field, model_validator

from typeserve.modeltypes.base import WireModel
from typeserve.modeltypes.media_refs import MediaRef


class AudioInputBase(WireModel):
    Bytes: str | None = Field(default=None, description="The audio file, base64-encoded.")
    audioRef: MediaRef | None = Field(default=None, description="The audio: base64 `Bytes` or a `URL`.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.Bytes is None) == (self.audioRef is None):
            raise ValueError("give exactly one of Bytes or audioRef")
        return self

    def media_ref(self) -> MediaRef:
        return self.audioRef if self.audioRef is not None else MediaRef(Bytes=self.Bytes)
