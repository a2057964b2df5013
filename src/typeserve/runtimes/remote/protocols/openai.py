"""The `openai` protocol: an OpenAI-compatible API (its base URL, e.g. `https://host/v1`, and
the upstream's model name): embeddings for feature-extraction, audio transcriptions for
speech recognition, audio speech for text-to-speech."""

from __future__ import annotations

import io
from typing import Any

import httpx

from typeserve.runtimes.media_encoding import media_file
from typeserve.runtimes.remote.protocols.base import BadAnswer, RemoteProtocol, b64, first, json_of
from typeserve.runtimes.remote.upstream import UpstreamRequest

SPEECH_CONTENT_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg"}


class OpenAIProtocol(RemoteProtocol):
    name = "openai"
    types = frozenset({"feature-extraction", "automatic-speech-recognition", "text-to-speech"})

    def request(self, type_name: str, item: Any, options: dict[str, Any]) -> UpstreamRequest:
        model = options["remote_model"]
        if type_name == "feature-extraction":
            return UpstreamRequest(path="/embeddings", json={"model": model, "input": item.input})
        if type_name == "automatic-speech-recognition":
            data, content_type, suffix = media_file(item)
            form = {"model": model, "response_format": "verbose_json"}
            if item.language:
                form["language"] = item.language
            return UpstreamRequest(
                path="/audio/transcriptions", files={"file": (f"audio{suffix}", data, content_type)}, data=form
            )
        body = {"model": model, "input": item.input, "response_format": getattr(item, "format", None) or "wav"}
        if getattr(item, "voice", None):
            body["voice"] = item.voice
        if getattr(item, "speed", None):
            body["speed"] = item.speed
        return UpstreamRequest(path="/audio/speech", json=body)

    def answer(self, type_name: str, item: Any, response: httpx.Response, options: dict[str, Any]) -> Any:
        if type_name == "text-to-speech":
            return speech(response, getattr(item, "format", None) or "wav")
        raw = json_of(response)
        if not isinstance(raw, dict):
            raise BadAnswer("the answer is not a JSON object")
        if type_name == "feature-extraction":
            entry = first(raw.get("data"), "embedding")
            vector = entry.get("embedding") if isinstance(entry, dict) else None
            if not isinstance(vector, list):
                raise BadAnswer("the answer has no embedding")
            return {"embedding": vector, "dimensions": len(vector)}
        if "text" not in raw:
            raise BadAnswer("the answer has no text")
        segments = [
            {"start": s.get("start"), "end": s.get("end"), "text": s.get("text")}
            for s in raw.get("segments") or []
            if isinstance(s, dict)
        ]
        return {"text": raw["text"], **({"segments": segments} if segments else {})}


def speech(response: httpx.Response, audio_format: str) -> dict[str, Any]:
    import soundfile

    audio = response.content
    try:
        info = soundfile.info(io.BytesIO(audio))
    except Exception:
        raise BadAnswer("the answer is not an audio file") from None
    return {
        "audio": {"Bytes": b64(audio)},
        "contentType": SPEECH_CONTENT_TYPES.get(audio_format, "application/octet-stream"),
        "sampleRate": info.samplerate,
        "durationS": round(info.duration, 3),
    }
