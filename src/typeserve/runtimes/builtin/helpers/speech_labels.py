"""The labels voice activity detectors answer with: `speech` scores the share of the clip that
is speech (each detector says how it measures it), `no-speech` the rest, so the two sum to 1
and the top label says whether most of the clip is speech."""

from __future__ import annotations

from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.scores import clamp01, ranked_pairs

SPEECH = "speech"
NO_SPEECH = "no-speech"


def speech_labels(speech_share: float, top_k: int | None) -> LabelsOutput:
    share = clamp01(speech_share)
    return ranked_pairs({SPEECH: share, NO_SPEECH: 1.0 - share}, top_k)
