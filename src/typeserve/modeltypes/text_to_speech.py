"""text-to-speech: a text in, spoken audio out; as JSON with the file in base64, or the
audio file itself when the client asks for it with `Accept: audio/*`."""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from typeserve.modeltypes.base import ModelType, WireModel
from typeserve.modeltypes.media_refs import MediaRef
from typeserve.modeltypes.text import MAX_LIST_INPUTS

# Bounds on the work one request asks for: about two minutes of speech at the normal rate,
# and a hard cap on what a slow `speed` can stretch it to.
MAX_SPEECH_CHARS = 2_000
MAX_SPEECH_SECONDS = 300.0

AudioFormat = Literal["wav", "flac", "ogg", "mp3"]
CONTENT_TYPES: dict[str, str] = {"wav": "audio/wav", "flac": "audio/flac", "ogg": "audio/ogg", "mp3": "audio/mpeg"}

SpeechText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SPEECH_CHARS, pattern=r"\S")]


class TextToSpeechInput(WireModel):
    input: SpeechText | Annotated[list[SpeechText], Field(min_length=1, max_length=MAX_LIST_INPUTS)] = Field(
        description="The text to speak, or a list of texts."
    )
    voice: str | None = Field(
        default=None, min_length=1, max_length=64, description="A voice the model card lists; its default otherwise."
    )
    format: AudioFormat = Field(default="wav", description="Audio file format of the answer.")
    speed: float = Field(default=1.0, ge=0.5, le=2.0, description="Speaking rate relative to the voice's normal rate.")


class TextToSpeechOutput(WireModel):
    audio: MediaRef = Field(description="The audio file, base64 in `Bytes`.")
    contentType: str = Field(description="Media type of the audio file, e.g. audio/wav.")
    sampleRate: int = Field(ge=1, description="Samples per second.")
    durationS: float = Field(ge=0.0, description="Length of the speech in seconds.")


def audio_file(answer: dict[str, Any]) -> tuple[bytes, str]:
    """One answer as the audio file itself, for `Accept: audio/*`."""
    return base64.b64decode(answer["audio"]["Bytes"]), str(answer["contentType"])


MODEL_TYPE = ModelType(
    name="text-to-speech",
    title="Text to speech",
    description="Speaks a text: answers an audio file (WAV by default, FLAC, OGG or MP3).",
    Input=TextToSpeechInput,
    Output=TextToSpeechOutput,
    media="text",
    example_input={"input": "Hello world.", "format": "wav"},
    example_output={
        "audio": {"Bytes": "UklGRiQAAABXQVZFZm10IBAAAAABAAEAIlYAAESsAAACABAAZGF0YQAAAAA="},
        "contentType": "audio/wav",
        "sampleRate": 22050,
        "durationS": 1.4,
    },
    metrics=("wer", "duration_s"),
    accepts_list=True,
    file_media="audio/*",
    file_answer=audio_file,
)
