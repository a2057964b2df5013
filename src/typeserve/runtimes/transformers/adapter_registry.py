"""The adapter registry: which adapter class serves a type (and, for speech recognition,
which task head: CTC or encoder-decoder). Adding a type is adding an entry."""

from __future__ import annotations

from typing import Any

from typeserve.runtimes.transformers.adapter_base import Adapter
from typeserve.runtimes.transformers.audio_classification import AudioClassificationAdapter
from typeserve.runtimes.transformers.fill_mask import FillMaskAdapter
from typeserve.runtimes.transformers.image_classification import ImageClassificationAdapter
from typeserve.runtimes.transformers.image_to_text import ImageToTextAdapter
from typeserve.runtimes.transformers.object_detection import ObjectDetectionAdapter
from typeserve.runtimes.transformers.question_answering import QuestionAnsweringAdapter
from typeserve.runtimes.transformers.speech_recognition_ctc import CtcSpeechRecognitionAdapter
from typeserve.runtimes.transformers.speech_recognition_seq2seq import Seq2SeqSpeechRecognitionAdapter
from typeserve.runtimes.transformers.summarization import SummarizationAdapter
from typeserve.runtimes.transformers.text_classification import TextClassificationAdapter
from typeserve.runtimes.transformers.text_to_speech import TextToSpeechAdapter
from typeserve.runtimes.transformers.translation import TranslationAdapter

ADAPTERS: dict[str, type[Adapter[Any]]] = {
    "text-classification": TextClassificationAdapter,
    "fill-mask": FillMaskAdapter,
    "question-answering": QuestionAnsweringAdapter,
    "summarization": SummarizationAdapter,
    "translation": TranslationAdapter,
    "image-classification": ImageClassificationAdapter,
    "image-object-detection": ObjectDetectionAdapter,
    "audio-classification": AudioClassificationAdapter,
    "automatic-speech-recognition": Seq2SeqSpeechRecognitionAdapter,
    "image-to-text": ImageToTextAdapter,
    "text-to-speech": TextToSpeechAdapter,
}
# Speech recognition by CTC head rather than by generation.
CTC_ADAPTER: type[Adapter[Any]] = CtcSpeechRecognitionAdapter


def adapter_class(type_name: str, auto_class: str) -> type[Adapter[Any]]:
    if auto_class == "AutoModelForCTC":
        return CTC_ADAPTER
    return ADAPTERS[type_name]
