"""Export tiny checkpoints to ONNX in optimum's layout (`model.onnx`, or `encoder_model.onnx`
+ `decoder_model.onnx` for encoder-decoders, next to config and tokenizer files) with
torch.onnx.export, cached next to the torch checkpoints. optimum-onnx itself pins
transformers 4.x, so the tests export the same graphs by hand."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from tests.support.tiny_models import cache_root, tiny_model


def _copy_side_files(source: Path, target: Path) -> None:
    for file in source.iterdir():
        if file.is_file() and not file.name.startswith(("model.safetensors", "pytorch_model")):
            shutil.copy2(file, target / file.name)


def _example_inputs(kind: str) -> dict[str, Any]:
    """Inputs to trace the graph with; their first axes are exported as dynamic."""
    import torch

    if kind == "text":
        ids = torch.ones(2, 12, dtype=torch.long)
        return {"input_ids": ids, "attention_mask": ids, "token_type_ids": ids * 0}
    if kind == "image":
        return {"pixel_values": torch.zeros(2, 3, 32, 32)}
    return {"input_values": torch.zeros(2, 16000), "attention_mask": torch.ones(2, 16000, dtype=torch.long)}


def _export_single(model: Any, target: Path, kind: str, outputs: tuple[str, ...]) -> None:
    import torch

    inputs = _example_inputs(kind)
    variable = {0: "batch"} if kind == "image" else {0: "batch", 1: "sequence"}
    dynamic = {name: variable for name in inputs} | {name: {0: "batch", 1: "sequence"} for name in outputs}
    if kind == "image":
        dynamic |= {name: {0: "batch"} for name in outputs}
    torch.onnx.export(
        model,
        (),
        str(target / "model.onnx"),
        kwargs=inputs,
        input_names=list(inputs),
        output_names=list(outputs),
        dynamic_axes=dynamic,
        opset_version=17,
        dynamo=False,
    )


def _export_seq2seq(model: Any, target: Path) -> None:
    import torch

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = model.get_encoder()

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    class Decoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, encoder_hidden_states: Any, encoder_attention_mask: Any) -> Any:
            return self.model(
                decoder_input_ids=input_ids,
                encoder_outputs=(encoder_hidden_states,),
                attention_mask=encoder_attention_mask,
                use_cache=False,
            ).logits

    ids = torch.ones(2, 12, dtype=torch.long)
    torch.onnx.export(
        Encoder(),
        (ids, ids),
        str(target / "encoder_model.onnx"),
        input_names=["input_ids", "attention_mask"],
        output_names=["last_hidden_state"],
        dynamic_axes={n: {0: "batch", 1: "sequence"} for n in ("input_ids", "attention_mask", "last_hidden_state")},
        opset_version=17,
        dynamo=False,
    )
    hidden = torch.zeros(2, 12, model.config.d_model)
    decoder_ids = torch.ones(2, 3, dtype=torch.long)
    torch.onnx.export(
        Decoder(),
        (decoder_ids, hidden, ids),
        str(target / "decoder_model.onnx"),
        input_names=["input_ids", "encoder_hidden_states", "encoder_attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "decoder_sequence"},
            "encoder_hidden_states": {0: "batch", 1: "sequence"},
            "encoder_attention_mask": {0: "batch", 1: "sequence"},
            "logits": {0: "batch", 1: "decoder_sequence"},
        },
        opset_version=17,
        dynamo=False,
    )


# Checkpoint name: (task head, input kind, outputs; none for encoder-decoders).
ONNX_HEADS = {
    "bert-text-classification": ("AutoModelForSequenceClassification", "text", ("logits",)),
    "bert-question-answering": ("AutoModelForQuestionAnswering", "text", ("start_logits", "end_logits")),
    "bart-summarization": ("AutoModelForSeq2SeqLM", "text", ()),
    "vit-image-classification": ("AutoModelForImageClassification", "image", ("logits",)),
    "wav2vec2-ctc": ("AutoModelForCTC", "audio", ("logits",)),
}


def tiny_onnx_model(name: str) -> Path:
    """The ONNX export of the tiny checkpoint `name`, built on first use and cached."""
    import torch
    import transformers

    folder = cache_root() / f"{name}-onnx"
    if (folder / "config.json").exists():
        return folder
    source = tiny_model(name)
    auto_class, kind, outputs = ONNX_HEADS[name]
    building = folder.with_name(f"{folder.name}.building-{uuid.uuid4().hex[:8]}")
    building.mkdir(parents=True)
    try:
        model = getattr(transformers, auto_class).from_pretrained(str(source)).eval()
        with torch.no_grad():
            if outputs:
                _export_single(model, building, kind, outputs)
            else:
                _export_seq2seq(model, building)
        _copy_side_files(source, building)
        if not (folder / "config.json").exists():
            shutil.rmtree(folder, ignore_errors=True)
            building.rename(folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return folder
