"""The request shape shared by audio types: `{"Bytes": ...}` or `{"audioRef": {...}}`."""

from typing import Self

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from typeserve.modeltypes.base import WireModel
from typeserve.modeltypes.media_refs import MediaRef, exactly_one_of, given_exactly_one


class AudioInputBase(WireModel):
    model_config = exactly_one_of("Bytes", "audioRef")

    Bytes: str | SkipJsonSchema[None] = Field(default=None, description="The audio file, base64-encoded.")
    audioRef: MediaRef | SkipJsonSchema[None] = Field(default=None, description="The audio: base64 `Bytes` or a `URL`.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if not given_exactly_one(self, "Bytes", "audioRef"):
            raise ValueError("give exactly one of Bytes or audioRef")
        return self

    def media_ref(self) -> MediaRef:
        return self.audioRef if self.audioRef is not None else MediaRef(Bytes=self.Bytes)
