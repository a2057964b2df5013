"""What the audio adapters share: turning decoded clips into the feature extractor's padded
batch (with an attention mask only where the extractor asks for one)."""

from __future__ import annotations

from typing import Any

import numpy as np


def feature_extractor_of(processor: Any) -> Any:
    return getattr(processor, "feature_extractor", processor)


def sampling_rate_of(processor: Any) -> int:
    return int(getattr(feature_extractor_of(processor), "sampling_rate", 16_000))


def extract_features(processor: Any, clips: list[np.ndarray], **kwargs: Any) -> dict[str, np.ndarray]:
    extractor = feature_extractor_of(processor)
    wants_mask = bool(getattr(extractor, "return_attention_mask", False))
    encoded = extractor(
        clips,
        sampling_rate=sampling_rate_of(processor),
        padding=kwargs.pop("padding", True),
        return_attention_mask=wants_mask,
        return_tensors="np",
        **kwargs,
    )
    features = {}
    for name in ("input_values", "input_features", "attention_mask"):
        if name in encoded:
            dtype = np.int64 if name == "attention_mask" else np.float32
            features[name] = np.asarray(encoded[name], dtype=dtype)
    return features
