"""Word and character error rates of transcripts over the whole dataset, with jiwer. Both
sides are normalised first (transcripts.normalize_transcript: casing, punctuation, numbers,
titles), since recognisers differ in those conventions, which is not what WER is meant to
measure."""

from __future__ import annotations

from typing import Any

from typeserve.experiments.answers import prediction
from typeserve.experiments.metrics.info import MetricInfo
from typeserve.experiments.metrics.transcripts import normalize_transcript

METRICS = (
    MetricInfo("wer", "Word error rate", False),
    MetricInfo("cer", "Character error rate", False),
)


normalize = normalize_transcript


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    pairs = [
        (normalize(str(reference)), normalize(prediction("automatic-speech-recognition", output) or ""))
        for output, reference in zip(outputs, expected, strict=True)
    ]
    # An empty reference has no words to be wrong about; jiwer refuses it, and so do we.
    pairs = [(reference, hypothesis) for reference, hypothesis in pairs if reference]
    if not pairs:
        return {"wer": None, "cer": None}
    references = [r for r, _ in pairs]
    hypotheses = [h for _, h in pairs]
    import jiwer  # imported on use: the server imports this module at start

    return {"wer": float(jiwer.wer(references, hypotheses)), "cer": float(jiwer.cer(references, hypotheses))}
