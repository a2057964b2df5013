"""The type registry: every model type typeserve knows, by name."""

from __future__ import annotations

from typeserve.errors import not_found
from typeserve.modeltypes import (
    audio_classification,
    automatic_speech_recognition,
    fill_mask,
    image_classification,
    image_object_detection,
    image_to_text,
    question_answering,
    summarization,
    text_classification,
    text_to_speech,
    translation,
)
from typeserve.modeltypes.base import ModelType

MODEL_TYPES: dict[str, ModelType] = {
    module.MODEL_TYPE.name: module.MODEL_TYPE
    for module in (
        text_classification,
        fill_mask,
        summarization,
        translation,
        question_answering,
        image_classification,
        image_object_detection,
        audio_classification,
        automatic_speech_recognition,
        image_to_text,
        text_to_speech,
    )
}


def get_model_type(name: str) -> ModelType:
    try:
        return MODEL_TYPES[name]
    except KeyError:
        raise not_found("unknown_type", f"No model type named {name!r}.") from None


__all__ = ["MODEL_TYPES", "ModelType", "get_model_type"]
