"""Wire shapes that point at media: inline base64 bytes or a URL to fetch, and the decoded
items runtimes of image and audio types receive (runtimes never parse wire payloads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import ConfigDict, Field, JsonValue, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from typeserve.modeltypes.base import WireModel

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image


def exactly_one_of(*names: str) -> ConfigDict:
    """The JSON Schema of "exactly one of these fields" (OpenAPI documents and their clients
    are generated from it), to pair with `given_exactly_one` in a validator. Written as
    "not (two of them, or none)": client generators skip `not` and still make one plain class,
    where a `oneOf` of `required` lists turns the whole body into an untyped union."""
    pairs: list[JsonValue] = [{"required": [a, b]} for i, a in enumerate(names) for b in names[i + 1 :]]
    none: JsonValue = {"not": {"anyOf": [{"required": [name]} for name in names]}}
    return ConfigDict(json_schema_extra={"not": {"anyOf": [*pairs, none]}})


def given_exactly_one(model: WireModel, *names: str) -> bool:
    # An explicit null counts as given, so `{"Bytes": null, "URL": ...}` is refused as the schema says.
    return sum(name in model.model_fields_set for name in names) == 1 and all(
        getattr(model, name) is not None for name in names if name in model.model_fields_set
    )


class MediaRef(WireModel):
    model_config = exactly_one_of("Bytes", "URL")

    # SkipJsonSchema: None is only the Python default of the field not given, never a wire value.
    Bytes: str | SkipJsonSchema[None] = Field(default=None, description="The file, base64-encoded.")
    # The bound sits on the str branch: on the field it would be applied to an explicit null too
    # (pydantic then raises TypeError, not a validation error).
    URL: Annotated[str, StringConstraints(max_length=4096)] | SkipJsonSchema[None] = Field(
        default=None, description="An http(s) URL the server fetches."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if not given_exactly_one(self, "Bytes", "URL"):
            raise ValueError("give exactly one of Bytes or URL")
        return self


@dataclass(frozen=True)
class ImageItem:
    """A decoded image (RGB, EXIF orientation applied) plus the request's options."""

    image: Image.Image
    topK: int | None = None
    threshold: float | None = None
    language: str | None = None
    maxLength: int | None = None

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
