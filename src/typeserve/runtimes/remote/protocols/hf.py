"""The `hf` protocol: a Hugging Face task endpoint (the Inference API and Inference Endpoints
payloads): `{"inputs": ..., "parameters": {...}}` for text tasks, the raw file for image and
audio tasks, and the task's answer shapes (lists of `{label, score}`, `[{summary_text}]`, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from typeserve.runtimes.media_encoding import media_file
from typeserve.runtimes.remote.protocols.base import BadAnswer, RemoteProtocol, first, json_of
from typeserve.runtimes.remote.upstream import UpstreamRequest

MEDIA_TYPES = frozenset(
    {"image-classification", "image-object-detection", "audio-classification", "automatic-speech-recognition"}
)


def drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def text_parameters(type_name: str, item: Any) -> dict[str, Any]:
    get = lambda name: getattr(item, name, None)  # noqa: E731 - a short local accessor
    by_type = {
        "text-classification": {"top_k": get("topK")},
        "fill-mask": {"top_k": get("topK")},
        "summarization": {"max_length": get("maxLength"), "min_length": get("minLength")},
        "translation": {"src_lang": get("sourceLanguage"), "tgt_lang": get("targetLanguage")},
        "question-answering": {"top_k": get("topK")},
        "zero-shot-classification": {"candidate_labels": get("labels"), "multi_label": get("multiLabel")},
        "token-classification": {"aggregation_strategy": get("aggregation")},
    }
    return drop_none(by_type.get(type_name, {}))


def labels(raw: Any) -> dict[str, Any]:
    entries = raw[0] if isinstance(raw, list) and raw and isinstance(raw[0], list) else raw
    if isinstance(entries, dict) and "labels" in entries and "scores" in entries:  # zero-shot's older shape
        entries = [{"label": a, "score": s} for a, s in zip(entries["labels"], entries["scores"], strict=False)]
    if not isinstance(entries, list):
        raise BadAnswer("the answer is not a list of labels")
    return {"labels": entries}


def text_of(key: str) -> Callable[[Any, Any, dict[str, Any]], dict[str, Any]]:
    def parse(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
        entry = first(raw, key)
        if not isinstance(entry, dict) or key not in entry:
            raise BadAnswer(f"the answer has no {key}")
        return {"text": entry[key]}

    return parse


def summary(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    return {"summary": text_of("summary_text")(raw, item, options)["text"]}


def translation(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "translation": text_of("translation_text")(raw, item, options)["text"],
        "sourceLanguage": item.sourceLanguage or options.get("source_language"),
        "targetLanguage": item.targetLanguage or options.get("target_language"),
    }


def fill_mask(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    entries = raw[0] if isinstance(raw, list) and raw and isinstance(raw[0], list) else raw
    if not isinstance(entries, list):
        raise BadAnswer("the answer is not a list of predictions")
    return {
        "predictions": [
            {"token": e.get("token_str", e.get("token")), "score": e.get("score"), "sequence": e.get("sequence")}
            for e in entries
            if isinstance(e, dict)
        ]
    }


def answers(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    return {"answers": raw if isinstance(raw, list) else [raw]}


def detections(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, list):
        raise BadAnswer("the answer is not a list of detections")
    return {"width": item.width, "height": item.height, "detections": raw}


def transcript(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, dict) or "text" not in raw:
        raise BadAnswer("the answer has no text")
    chunks = raw.get("chunks") or []
    segments = [
        {"start": c["timestamp"][0], "end": c["timestamp"][1], "text": c["text"]}
        for c in chunks
        if isinstance(c, dict) and isinstance(c.get("timestamp"), list | tuple) and len(c["timestamp"]) == 2
    ]
    return {"text": raw["text"], **({"segments": segments} if segments else {})}


def embedding(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    vector = raw[0] if isinstance(raw, list) and raw and isinstance(raw[0], list) else raw
    if not isinstance(vector, list):
        raise BadAnswer("the answer is not a vector")
    return {"embedding": vector, "dimensions": len(vector)}


def entities(raw: Any, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, list):
        raise BadAnswer("the answer is not a list of entities")
    return {
        "entities": [
            {**{k: v for k, v in e.items() if k != "entity_group"}, "entity": e.get("entity_group", e.get("entity"))}
            for e in raw
            if isinstance(e, dict)
        ]
    }


ANSWERS: dict[str, Callable[[Any, Any, dict[str, Any]], dict[str, Any]]] = {
    "text-classification": lambda raw, item, options: labels(raw),
    "image-classification": lambda raw, item, options: labels(raw),
    "audio-classification": lambda raw, item, options: labels(raw),
    "zero-shot-classification": lambda raw, item, options: labels(raw),
    "fill-mask": fill_mask,
    "summarization": summary,
    "translation": translation,
    "question-answering": answers,
    "image-object-detection": detections,
    "automatic-speech-recognition": transcript,
    "feature-extraction": embedding,
    "token-classification": entities,
    "image-to-text": lambda raw, item, options: text_of("generated_text")(raw, item, options),
}


class HuggingFaceProtocol(RemoteProtocol):
    name = "hf"
    types = frozenset(ANSWERS)

    def request(self, type_name: str, item: Any, options: dict[str, Any]) -> UpstreamRequest:
        if type_name in MEDIA_TYPES or type_name == "image-to-text":
            data, content_type, _ = media_file(item)
            return UpstreamRequest(content=data, headers={"Content-Type": content_type})
        if type_name == "question-answering":
            inputs: Any = {"question": item.question, "context": item.context}
        else:
            inputs = item.input
        body: dict[str, Any] = {"inputs": inputs}
        parameters = text_parameters(type_name, item)
        if parameters:
            body["parameters"] = parameters
        return UpstreamRequest(json=body)

    def answer(self, type_name: str, item: Any, response: httpx.Response, options: dict[str, Any]) -> Any:
        raw = json_of(response)
        try:
            return ANSWERS[type_name](raw, item, options)
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise BadAnswer(f"the answer does not have the {type_name} shape ({exc.__class__.__name__})") from None
