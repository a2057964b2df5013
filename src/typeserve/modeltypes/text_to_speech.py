"""text-to-speech: a text in, spoken audio out; as JSON with the file in base64, or the
audio file itself when the client asks for it with `Accept: audio/*`.

Scored by intelligibility: the default speech recogniser of the catalog (Whisper tiny.en,
loaded in the scoring process from its package) transcribes each answer, and the word and
character error rates of those transcripts against the texts spoken are computed as for
speech recognition. The mean duration of the speech and its seconds per word say how fast
the model speaks."""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.media_refs import MediaRef
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring
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


def heard(output: Output) -> str:
    """What the catalog's default speech recogniser hears in one answer ("" for none)."""
    if not output or not (output.get("audio") or {}).get("Bytes"):
        return ""
    from typeserve.runtimes.builtin.whisper_ctranslate2 import transcribe_file

    return transcribe_file(audio_file(output)[0])


def score_speech(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    from typeserve.modeltypes.automatic_speech_recognition import score_transcripts
    from typeserve.modeltypes.transcripts import normalize_transcript

    rates = score_transcripts([{"text": heard(output)} for output in outputs], expected)
    durations = [float(output["durationS"]) for output in outputs if output]
    words = sum(
        len(normalize_transcript(str(text)).split()) for text, output in zip(expected, outputs, strict=True) if output
    )
    return {
        "wer": rates["wer"],
        "cer": rates["cer"],
        "duration_s": sum(durations) / len(durations) if durations else None,
        "seconds_per_word": sum(durations) / words if words else None,
    }


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
    scoring=Scoring(
        expected_field="text",
        metrics=(
            MetricInfo("wer", "Word error rate of Whisper on the speech", False),
            MetricInfo("cer", "Character error rate of Whisper on the speech", False),
            MetricInfo("duration_s", "Mean duration (s)", False, scale="seconds"),
            MetricInfo("seconds_per_word", "Seconds per word", False, scale="seconds"),
        ),
        scorer=score_speech,
        prediction=lambda output: output.get("durationS"),
    ),
    try_it=TryItView(picture="audio", field="audio", hint="{durationS} s at {sampleRate} Hz ({contentType})"),
    sdk=SdkMethod("text_to_speech", {"text": "input"}),
    accepts_list=True,
    file_media="audio/*",
    file_answer=audio_file,
)
