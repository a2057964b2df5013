"""The file layout of an ONNX checkpoint as optimum exports it: `model.onnx` for single-pass
heads, `encoder_model.onnx` + `decoder_model.onnx` for encoder-decoders, next to the config
and the tokenizer or processor files; and the outputs each type's adapter reads."""

from __future__ import annotations

GENERATIVE_HEADS = frozenset({"AutoModelForSeq2SeqLM", "AutoModelForSpeechSeq2Seq"})
SINGLE_FILE = "model.onnx"
ENCODER_FILE = "encoder_model.onnx"
DECODER_FILE = "decoder_model.onnx"

REQUIRED_OUTPUTS: dict[str, tuple[str, ...]] = {
    "question-answering": ("start_logits", "end_logits"),
    "image-object-detection": ("logits", "pred_boxes"),
    "feature-extraction": ("last_hidden_state",),
}


def files_for(auto_class: str) -> tuple[str, ...]:
    return (ENCODER_FILE, DECODER_FILE) if auto_class in GENERATIVE_HEADS else (SINGLE_FILE,)


def required_outputs(type_name: str) -> tuple[str, ...]:
    return REQUIRED_OUTPUTS.get(type_name, ("logits",))
