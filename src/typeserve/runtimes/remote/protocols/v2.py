"""The `v2` protocol: an Open Inference Protocol (KServe v2) endpoint, as Triton, KServe and
MLServer serve it. The model URL is `{server}/v2/models/{name}`; a call is `POST {url}/infer`
with one input tensor (BYTES for a text, UINT8 [1, H, W, 3] for an image, FP32 [1, N] for
audio samples) named as the model's metadata says; the answer's tensors are read by datatype:
a BYTES tensor of labels with an FP32 tensor of scores, or one BYTES text, or one FP32 vector."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from typeserve.modeltypes.media_refs import AudioItem, ImageItem
from typeserve.runtimes.remote.protocols.base import BadAnswer, RemoteProtocol, first, json_of
from typeserve.runtimes.remote.upstream import UpstreamRequest

LABEL_TYPES = frozenset({"text-classification", "image-classification", "audio-classification"})
TEXT_ANSWERS = {
    "summarization": "summary",
    "automatic-speech-recognition": "text",
    "image-to-text": "text",
    "translation": "translation",
}
FLOAT_TYPES = frozenset({"FP16", "FP32", "FP64"})


def input_tensor(item: Any, name: str) -> dict[str, Any]:
    if isinstance(item, ImageItem):
        pixels = list(item.image.convert("RGB").tobytes())
        return {"name": name, "datatype": "UINT8", "shape": [1, item.height, item.width, 3], "data": pixels}
    if isinstance(item, AudioItem):
        samples = [float(s) for s in item.samples]
        return {"name": name, "datatype": "FP32", "shape": [1, len(samples)], "data": samples}
    return {"name": name, "datatype": "BYTES", "shape": [1], "data": [item.input]}


def tensors(raw: Any) -> list[dict[str, Any]]:
    outputs = raw.get("outputs") if isinstance(raw, dict) else None
    if not isinstance(outputs, list) or not all(isinstance(o, dict) and "data" in o for o in outputs):
        raise BadAnswer("the answer has no outputs tensors")
    return outputs


def flat(data: Any) -> list[Any]:
    """Tensor data as a flat list (the protocol allows nested lists in row-major order)."""
    if not isinstance(data, list):
        return [data]
    return [value for element in data for value in flat(element)]


def labelled_scores(outputs: list[dict[str, Any]], known_labels: list[str]) -> list[dict[str, Any]]:
    names = next((flat(o["data"]) for o in outputs if o.get("datatype") == "BYTES"), None)
    scores = next((flat(o["data"]) for o in outputs if o.get("datatype") in FLOAT_TYPES), None)
    if names is None and scores is not None and len(scores) == len(known_labels):
        names = known_labels
    if names is None:
        raise BadAnswer("the answer has no BYTES tensor of labels")
    if scores is None:
        scores = [1.0] * len(names)
    if len(scores) != len(names):
        raise BadAnswer(f"the answer has {len(names)} labels but {len(scores)} scores")
    return [{"label": str(name), "score": float(score)} for name, score in zip(names, scores, strict=True)]


class OpenInferenceProtocol(RemoteProtocol):
    name = "v2"
    types = frozenset({*LABEL_TYPES, *TEXT_ANSWERS, "feature-extraction"})

    def request(self, type_name: str, item: Any, options: dict[str, Any]) -> UpstreamRequest:
        tensor = input_tensor(item, options.get("input_name") or "input")
        return UpstreamRequest(path="/infer", json={"id": uuid.uuid4().hex, "inputs": [tensor]})

    def answer(self, type_name: str, item: Any, response: httpx.Response, options: dict[str, Any]) -> Any:
        outputs = tensors(json_of(response))
        if type_name in LABEL_TYPES:
            return {"labels": labelled_scores(outputs, options.get("labels") or [])}
        if type_name == "feature-extraction":
            vector = next((flat(o["data"]) for o in outputs if o.get("datatype") in FLOAT_TYPES), None)
            if vector is None:
                raise BadAnswer("the answer has no FP32 tensor")
            return {"embedding": vector, "dimensions": len(vector)}
        text = next((flat(o["data"]) for o in outputs if o.get("datatype") == "BYTES"), None)
        if text is None:
            raise BadAnswer("the answer has no BYTES tensor")
        fields: dict[str, Any] = {TEXT_ANSWERS[type_name]: str(first(text, "text"))}
        if type_name == "translation":
            fields["sourceLanguage"] = item.sourceLanguage or options.get("source_language")
            fields["targetLanguage"] = item.targetLanguage or options.get("target_language")
        return fields
