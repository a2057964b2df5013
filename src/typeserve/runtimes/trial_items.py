"""One item of a type to try a newly added model on, so that `models add` refuses a model
whose answers do not fit the type: the type's own example for text types, a small made-up
image or a second of quiet noise for media types (no file or network needed)."""

from __future__ import annotations

from typing import Any

from typeserve.modeltypes.base import ModelType
from typeserve.modeltypes.media_refs import AudioItem, ImageItem


def trial_item(model_type: ModelType) -> Any:
    if model_type.media == "image":
        from PIL import Image

        return ImageItem(image=Image.linear_gradient("L").convert("RGB").resize((64, 64)))
    if model_type.media == "audio":
        import numpy as np

        samples = (np.random.default_rng(0).standard_normal(16_000) * 0.01).astype("float32")
        return AudioItem(samples=samples, sample_rate=16_000)
    example = model_type.Input.model_validate(model_type.example_input)
    value = getattr(example, "input", None)
    if isinstance(value, list):  # a list example: try its first text
        return example.model_copy(update={"input": value[0]})
    return example
