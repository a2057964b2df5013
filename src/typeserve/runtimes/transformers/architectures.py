"""Which transformers architectures serve which model type, read from transformers' own Auto
mappings (so new architectures are picked up with new transformers releases), and how a
type is guessed from a checkpoint's architecture and its model card's `pipeline_tag`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskHead:
    """One family of task heads: the Auto class that loads it and transformers' mapping name."""

    auto_class: str
    mapping: str


# Order matters when an architecture fits several types and nothing else decides.
TYPE_HEADS: dict[str, tuple[TaskHead, ...]] = {
    "automatic-speech-recognition": (
        TaskHead("AutoModelForSpeechSeq2Seq", "MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES"),
        TaskHead("AutoModelForCTC", "MODEL_FOR_CTC_MAPPING_NAMES"),
    ),
    "audio-classification": (
        TaskHead("AutoModelForAudioClassification", "MODEL_FOR_AUDIO_CLASSIFICATION_MAPPING_NAMES"),
    ),
    "image-object-detection": (TaskHead("AutoModelForObjectDetection", "MODEL_FOR_OBJECT_DETECTION_MAPPING_NAMES"),),
    "image-classification": (
        TaskHead("AutoModelForImageClassification", "MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES"),
    ),
    "summarization": (TaskHead("AutoModelForSeq2SeqLM", "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES"),),
    "translation": (TaskHead("AutoModelForSeq2SeqLM", "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES"),),
    "question-answering": (TaskHead("AutoModelForQuestionAnswering", "MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES"),),
    "text-classification": (
        TaskHead("AutoModelForSequenceClassification", "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES"),
    ),
    "fill-mask": (TaskHead("AutoModelForMaskedLM", "MODEL_FOR_MASKED_LM_MAPPING_NAMES"),),
    "image-to-text": (TaskHead("AutoModelForImageTextToText", "MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES"),),
    "text-to-speech": (TaskHead("AutoModelForTextToWaveform", "MODEL_FOR_TEXT_TO_WAVEFORM_MAPPING_NAMES"),),
}

# Hugging Face `pipeline_tag` values (model card front matter) to typeserve types.
PIPELINE_TAGS: dict[str, str] = {
    "text-classification": "text-classification",
    "sentiment-analysis": "text-classification",
    "fill-mask": "fill-mask",
    "summarization": "summarization",
    "translation": "translation",
    "question-answering": "question-answering",
    "image-classification": "image-classification",
    "object-detection": "image-object-detection",
    "image-object-detection": "image-object-detection",
    "audio-classification": "audio-classification",
    "automatic-speech-recognition": "automatic-speech-recognition",
    "image-to-text": "image-to-text",
    "text-to-speech": "text-to-speech",
}

# Seq2seq families whose checkpoints are translation models unless their card says otherwise.
TRANSLATION_MODEL_TYPES = frozenset({"marian", "m2m_100", "nllb-moe", "fsmt", "mbart"})


def _class_names(mapping_name: str) -> set[str]:
    from transformers.models.auto import modeling_auto

    names: set[str] = set()
    for value in getattr(modeling_auto, mapping_name, {}).values():
        names.update(value if isinstance(value, (tuple, list)) else (value,))
    return names


def head_for(type_name: str, architecture: str) -> TaskHead | None:
    """The task head of `type_name` that loads `architecture`, or None if none does."""
    for head in TYPE_HEADS.get(type_name, ()):
        if architecture in _class_names(head.mapping):
            return head
    return None


def types_for(architecture: str) -> list[str]:
    """Every type whose task heads include `architecture`, in preference order."""
    return [name for name in TYPE_HEADS if head_for(name, architecture) is not None]


def guess_type(architecture: str, model_type: str, pipeline_tag: str | None) -> tuple[str | None, str]:
    """The type a checkpoint most likely is, and why we think so (said back to the user)."""
    candidates = types_for(architecture)
    tagged = PIPELINE_TAGS.get(pipeline_tag or "")
    if tagged and tagged in candidates:
        return tagged, f"pipeline_tag {pipeline_tag!r} in README.md and architecture {architecture}"
    if not candidates:
        return None, f"architecture {architecture} serves none of the types"
    if "summarization" in candidates and model_type in TRANSLATION_MODEL_TYPES:
        return "translation", f"architecture {architecture} of a {model_type} translation model"
    return candidates[0], f"architecture {architecture}"
