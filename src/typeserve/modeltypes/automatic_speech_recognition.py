"""automatic-speech-recognition: speech in, its transcript (optionally timed) out.

Scored by word and character error rates over the whole dataset, with jiwer. Both sides are
normalised first (transcripts.normalize_transcript: casing, punctuation, hyphens, numbers,
titles), since recognisers differ in those conventions, which is not what WER is meant to
measure."""

from typing import Any

from pydantic import Field

from typeserve.modeltypes.audio_input import AudioInputBase
from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, value_of
from typeserve.modeltypes.transcripts import normalize_transcript
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


def score_transcripts(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    pairs = [
        (normalize_transcript(str(reference)), normalize_transcript((output or {}).get("text") or ""))
        for output, reference in zip(outputs, expected, strict=True)
    ]
    # An empty reference has no words to be wrong about; jiwer refuses it, and so do we.
    pairs = [(reference, hypothesis) for reference, hypothesis in pairs if reference]
    if not pairs:
        return {"wer": None, "cer": None}
    references = [r for r, _ in pairs]
    hypotheses = [h for _, h in pairs]
    import jiwer

    return {"wer": float(jiwer.wer(references, hypotheses)), "cer": float(jiwer.cer(references, hypotheses))}


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
    scoring=Scoring(
        expected_field="text",
        metrics=(MetricInfo("wer", "Word error rate", False), MetricInfo("cer", "Character error rate", False)),
        scorer=score_transcripts,
        prediction=value_of("text"),
    ),
    try_it=TryItView(picture="transcript", field="text", empty="(no speech recognised)"),
    sdk=SdkMethod("speech_recognition", {"audio": "audioRef"}),
    query_options=("language",),
)
