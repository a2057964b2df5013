"""audio-classification: an audio clip in, labels with scores out (speech, events)."""

from typeserve.modeltypes.audio_input import AudioInputBase
from typeserve.modeltypes.base import LabelsOutput, ModelType, SdkMethod, TopK
from typeserve.modeltypes.labels import LABELS_SCORING, LABELS_VIEW


class AudioClassificationInput(AudioInputBase):
    topK: int | None = TopK


MODEL_TYPE = ModelType(
    name="audio-classification",
    title="Audio classification",
    description="Assigns labels with confidence scores to an audio clip.",
    Input=AudioClassificationInput,
    Output=LabelsOutput,
    media="audio",
    example_input={"audioRef": {"URL": "https://example.com/clip.wav"}},
    example_output={"labels": [{"label": "speech", "score": 0.97}, {"label": "no-speech", "score": 0.03}]},
    scoring=LABELS_SCORING,
    try_it=LABELS_VIEW,
    sdk=SdkMethod("audio_classification", {"audio": "audioRef"}),
    query_options=("topK",),
)
