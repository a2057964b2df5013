"""automatic-speech-recognition: speech in, its transcript (optionally timed) out."""

from pydantic import Field

from typeserve.modeltypes.audio_input import AudioInputBase
from typeserve.modeltypes.base import ModelType, WireModel
from typeserve.modeltypes.translation import LanguageCode


class SpeechRecognitionInput(AudioInputBase):
    language: LanguageCode | None = Field(default=None, description="ISO 639-1 code of the speech.")


class Segment(WireModel):
    start: float = Field(ge=0.0, description="Seconds from the start of the audio.")
    end: float = Field(ge=0.0)
    text: str


class SpeechRecognitionOutput(WireModel):
    text: str
    segments: list[Segment] | None = None
    language: LanguageCode | None = Field(default=None, description="ISO 639-1 code of the speech recognised.")


MODEL_TYPE = ModelType(
    name="automatic-speech-recognition",
    title="Speech recognition",
    description="Transcribes speech in an audio clip to text.",
    Input=SpeechRecognitionInput,
    Output=SpeechRecognitionOutput,
    media="audio",
    example_input={"audioRef": {"URL": "https://example.com/speech.wav"}},
    example_output={
        "text": "go forward ten meters",
        "segments": [{"start": 0.0, "end": 1.2, "text": "go forward ten meters"}],
    },
    metrics=("wer", "cer"),
    query_options=("language",),
)
