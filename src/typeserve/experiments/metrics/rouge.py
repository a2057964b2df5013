"""ROUGE-1, ROUGE-2 and ROUGE-L F-measures of summaries, with Google's rouge-score (Porter
stemming on, as in the usual reporting), averaged over rows."""

from __future__ import annotations

from typing import Any

from typeserve.experiments.answers import prediction
from typeserve.experiments.metrics.info import MetricInfo

KINDS = ("rouge1", "rouge2", "rougeL")
METRICS = (
    MetricInfo("rouge1", "ROUGE-1", True),
    MetricInfo("rouge2", "ROUGE-2", True),
    MetricInfo("rougeL", "ROUGE-L", True),
)


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    from rouge_score import rouge_scorer  # imported on use: the server imports this module at start

    scorer = rouge_scorer.RougeScorer(list(KINDS), use_stemmer=True)
    totals = dict.fromkeys(KINDS, 0.0)
    for output, reference in zip(outputs, expected, strict=True):
        scores = scorer.score(str(reference), prediction("summarization", output) or "")
        for kind in KINDS:
            totals[kind] += scores[kind].fmeasure
    return {kind: total / len(expected) for kind, total in totals.items()}
