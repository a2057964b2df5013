"""OpenAI's transcription answers (`response_format` json, text, srt, vtt, verbose_json) from
an Output shaped `{"text", "segments": [{"start", "end", "text"}]}`, and the form fields of
its requests."""

from __future__ import annotations

import base64
from typing import Any

from typeserve.modeltypes.compat.answers import BinaryAnswer
from typeserve.modeltypes.compat.hf import invalid, language_code
from typeserve.modeltypes.compat.openai import choice, refuse_unknown

RESPONSE_FORMATS = ("json", "text", "srt", "vtt", "verbose_json")
# OpenAI fields that change nothing typeserve answers (`temperature` 0 is its default decoding).
NEUTRAL_FIELDS = {"model", "file", "response_format", "language", "prompt", "temperature", "stream"}


def transcription_request(fields: dict[str, Any], media_field: str = "audioRef") -> dict[str, Any]:
    refuse_unknown(fields, NEUTRAL_FIELDS | {"timestamp_granularities", "timestamp_granularities[]"})
    choice(fields, "response_format", RESPONSE_FORMATS, "json")
    if fields.get("prompt"):
        raise invalid("prompt", "prompting is not supported here")
    if str(fields.get("temperature") or "0") not in ("0", "0.0"):
        raise invalid("temperature", "only 0 (typeserve decodes greedily)")
    if str(fields.get("stream") or "false").lower() not in ("false", "0"):
        raise invalid("stream", "streaming is not supported here")
    data = fields.get("file")
    if not isinstance(data, bytes) or not data:
        raise invalid("file", "an audio file is required")
    payload: dict[str, Any] = {media_field: {"Bytes": base64.b64encode(data).decode("ascii")}}
    if fields.get("language"):
        payload["language"] = language_code(fields["language"])
    return payload


def segments_of(output: dict[str, Any]) -> list[dict[str, Any]]:
    return list(output.get("segments") or [])


def clock(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def subtitles(output: dict[str, Any], kind: str) -> str:
    cues = segments_of(output) or [{"start": 0.0, "end": 0.0, "text": output["text"]}]
    separator = "," if kind == "srt" else "."
    blocks = [
        (f"{index}\n" if kind == "srt" else "")
        + f"{clock(cue['start'], separator)} --> {clock(cue['end'], separator)}\n{cue['text'].strip()}\n"
        for index, cue in enumerate(cues, start=1)
    ]
    return ("WEBVTT\n\n" if kind == "vtt" else "") + "\n".join(blocks)


def transcription_answer(task: str) -> Any:
    """The answer of `audio/transcriptions` (task "transcribe") or `audio/translations`."""

    def answer(body: dict[str, Any], fields: dict[str, Any]) -> Any:
        kind = fields.get("response_format") or "json"
        if kind == "text":
            return BinaryAnswer((body["text"] + "\n").encode("utf-8"), "text/plain; charset=utf-8")
        if kind in ("srt", "vtt"):
            media_type = "text/vtt" if kind == "vtt" else "application/x-subrip"
            return BinaryAnswer(subtitles(body, kind).encode("utf-8"), f"{media_type}; charset=utf-8")
        if kind == "json":
            return {"text": body["text"]}
        segments = segments_of(body)
        return {
            "task": task,
            "language": fields.get("language") or "unknown",
            "duration": segments[-1]["end"] if segments else 0.0,
            "text": body["text"],
            "segments": [
                {"id": index, "start": s["start"], "end": s["end"], "text": s["text"]}
                for index, s in enumerate(segments)
            ],
        }

    return answer
