"""What each typed SDK method sends and how it reads the answer, shared by the sync and the
async client: the wire payload (camelCase, options left out when unset, files base64-encoded)
and the pydantic Output model of the type."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from typeserve.modeltypes.automatic_speech_recognition import SpeechRecognitionOutput
from typeserve.modeltypes.base import LabelsOutput, WireModel
from typeserve.modeltypes.feature_extraction import FeatureExtractionOutput
from typeserve.modeltypes.fill_mask import FillMaskOutput
from typeserve.modeltypes.image_object_detection import ObjectDetectionOutput
from typeserve.modeltypes.question_answering import QuestionAnsweringOutput
from typeserve.modeltypes.summarization import SummarizationOutput
from typeserve.modeltypes.token_classification import TokenClassificationOutput
from typeserve.modeltypes.translation import TranslationOutput

OutputT = TypeVar("OutputT", bound=WireModel)
Media = str | os.PathLike[str] | bytes


@dataclass(frozen=True)
class Call(Generic[OutputT]):
    payload: dict[str, Any]
    output: type[OutputT]

    def parse(self, body: Any) -> OutputT:
        return self.output.model_validate(body)


def _options(**options: Any) -> dict[str, Any]:
    return {name: value for name, value in options.items() if value is not None}


def media_ref(data: Media | None, url: str | None) -> dict[str, str]:
    """`{"Bytes": base64}` from a path or bytes, or `{"URL": url}`."""
    if (data is None) == (url is None):
        raise ValueError("give exactly one of a file (path or bytes) or url=")
    if url is not None:
        return {"URL": url}
    raw = data if isinstance(data, bytes) else Path(data).read_bytes()  # type: ignore[arg-type]
    return {"Bytes": base64.b64encode(raw).decode("ascii")}


def text_classification(text: str, top_k: int | None) -> Call[LabelsOutput]:
    return Call({"input": text, **_options(topK=top_k)}, LabelsOutput)


def fill_mask(text: str, top_k: int | None) -> Call[FillMaskOutput]:
    return Call({"input": text, **_options(topK=top_k)}, FillMaskOutput)


def summarization(text: str, max_length: int | None, min_length: int | None) -> Call[SummarizationOutput]:
    return Call({"input": text, **_options(maxLength=max_length, minLength=min_length)}, SummarizationOutput)


def translation(text: str, source_language: str | None, target_language: str | None) -> Call[TranslationOutput]:
    options = _options(sourceLanguage=source_language, targetLanguage=target_language)
    return Call({"input": text, **options}, TranslationOutput)


def question_answering(question: str, context: str, top_k: int | None) -> Call[QuestionAnsweringOutput]:
    return Call({"question": question, "context": context, **_options(topK=top_k)}, QuestionAnsweringOutput)


def image_classification(image: Media | None, url: str | None, top_k: int | None) -> Call[LabelsOutput]:
    return Call({"imageRef": media_ref(image, url), **_options(topK=top_k)}, LabelsOutput)


def object_detection(image: Media | None, url: str | None, threshold: float | None) -> Call[ObjectDetectionOutput]:
    return Call({"imageRef": media_ref(image, url), **_options(threshold=threshold)}, ObjectDetectionOutput)


def audio_classification(audio: Media | None, url: str | None, top_k: int | None) -> Call[LabelsOutput]:
    return Call({"audioRef": media_ref(audio, url), **_options(topK=top_k)}, LabelsOutput)


def speech_recognition(audio: Media | None, url: str | None, language: str | None) -> Call[SpeechRecognitionOutput]:
    return Call({"audioRef": media_ref(audio, url), **_options(language=language)}, SpeechRecognitionOutput)


def feature_extraction(text: str, normalize: bool | None) -> Call[FeatureExtractionOutput]:
    return Call({"input": text, **_options(normalize=normalize)}, FeatureExtractionOutput)


def token_classification(text: str, aggregation: str | None) -> Call[TokenClassificationOutput]:
    return Call({"input": text, **_options(aggregation=aggregation)}, TokenClassificationOutput)


def zero_shot_classification(
    text: str, labels: list[str], multi_label: bool | None, hypothesis_template: str | None
) -> Call[LabelsOutput]:
    options = _options(multiLabel=multi_label, hypothesisTemplate=hypothesis_template)
    return Call({"input": text, "labels": list(labels), **options}, LabelsOutput)
