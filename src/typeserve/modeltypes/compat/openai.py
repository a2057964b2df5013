"""The OpenAI API for one type: which endpoint under `/openai/v1` serves it (`embeddings`,
`audio/transcriptions`, ...), how that endpoint's request (JSON or multipart form fields, a
file as bytes) becomes the type's Input, and how the answer looks in OpenAI's shape."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.modeltypes.compat.answers import BinaryAnswer
from typeserve.modeltypes.compat.hf import invalid

OpenAiRequest = Callable[[dict[str, Any]], dict[str, Any]]
OpenAiAnswer = Callable[[Any, dict[str, Any]], "Any | BinaryAnswer"]


@dataclass(frozen=True)
class OpenAiEndpoint:
    path: str  # under /openai/v1, e.g. "embeddings" or "audio/transcriptions"
    request: OpenAiRequest  # the request's fields (without `model`) -> the type's Input payload
    answer: OpenAiAnswer  # (the typeserve answer, the request's fields) -> OpenAI's answer
    form: bool = False  # multipart/form-data with a `file` (the audio endpoints)
    # Which models of the type it serves, judged by their catalog languages, and why not.
    serves: Callable[[Sequence[str]], bool] = lambda languages: True
    refusal: str = ""


def english_only(languages: Sequence[str]) -> bool:
    """OpenAI's translations are into English: a model that only hears English speech answers
    an English translation by transcribing it; others cannot translate."""
    return list(languages) == ["en"]


def string_field(fields: dict[str, Any], name: str, required: bool = True) -> str | None:
    value = fields.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise invalid(name, "a non-empty string is required")
    return value


def choice(fields: dict[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = fields.get(name) or default
    if value not in allowed:
        raise invalid(name, f"one of {', '.join(allowed)}")
    return str(value)


def refuse_unknown(fields: dict[str, Any], known: set[str]) -> None:
    """A field OpenAI defines but typeserve cannot honour is a 422 naming it, never ignored."""
    unknown = sorted(name for name, value in fields.items() if name not in known and value is not None)
    if unknown:
        raise invalid(unknown[0], f"not supported here (supported: {', '.join(sorted(known))})")


def embedding_vectors(body: Any) -> list[list[float]]:
    results = body["results"] if isinstance(body, dict) and "results" in body else [body]
    return [list(result["embedding"]) for result in results]


def embeddings_answer(body: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """OpenAI's embeddings list; `encoding_format=base64` (the openai client's default) packs
    each vector as little-endian float32, as OpenAI does."""
    vectors = embedding_vectors(body)
    as_base64 = fields.get("encoding_format") == "base64"
    texts = fields["input"] if isinstance(fields["input"], list) else [fields["input"]]
    # typeserve does not expose the tokenizer; words are an honest, documented stand-in.
    words = sum(len(str(text).split()) for text in texts)
    data = [
        {
            "object": "embedding",
            "index": index,
            "embedding": base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")
            if as_base64
            else vector,
        }
        for index, vector in enumerate(vectors)
    ]
    return {
        "object": "list",
        "data": data,
        "model": fields["model"],
        "usage": {"prompt_tokens": words, "total_tokens": words},
    }


def embeddings_request(fields: dict[str, Any]) -> dict[str, Any]:
    """`{"input": str | [str], "encoding_format", "dimensions", "user"}` -> `{"input": ...}`."""
    refuse_unknown(fields, {"model", "input", "encoding_format", "user", "dimensions"})
    choice(fields, "encoding_format", ("float", "base64"), "float")
    if fields.get("dimensions") is not None:
        raise invalid("dimensions", "not supported here: the model's vectors have their own size")
    texts = fields.get("input")
    if isinstance(texts, list) and texts and all(isinstance(text, str) for text in texts):
        return {"input": texts}
    if isinstance(texts, str) and texts:
        return {"input": texts}
    raise invalid("input", "a text or a list of texts (token arrays are not supported here)")


SPEECH_FORMATS = {"wav": "wav", "flac": "flac", "mp3": "mp3", "opus": "ogg"}
# OpenAI's preset voices (the client requires one) exist on no typeserve model: they mean the
# model's default voice. Any other name is passed on as one of the model's own voices.
OPENAI_VOICES = {
    "alloy",
    "ash",
    "ballad",
    "cedar",
    "coral",
    "echo",
    "fable",
    "marin",
    "nova",
    "onyx",
    "sage",
    "shimmer",
    "verse",
}


def speech_request(fields: dict[str, Any]) -> dict[str, Any]:
    """`{"input", "voice", "response_format", "speed"}` -> the text-to-speech Input."""
    refuse_unknown(fields, {"model", "input", "voice", "response_format", "speed", "instructions"})
    if fields.get("instructions"):
        raise invalid("instructions", "not supported here")
    text = string_field(fields, "input")
    audio_format = choice(fields, "response_format", tuple(SPEECH_FORMATS), "mp3")
    payload: dict[str, Any] = {"input": text, "format": SPEECH_FORMATS[audio_format]}
    if fields.get("voice") is not None and fields["voice"] not in OPENAI_VOICES:
        payload["voice"] = fields["voice"]
    if fields.get("speed") is not None:
        payload["speed"] = fields["speed"]
    return payload
