"""Corpus BLEU and chrF of translations, with sacrebleu (its default tokenisation, one
reference per row); both on sacrebleu's 0-100 scale."""

from __future__ import annotations

from typing import Any

from typeserve.experiments.answers import prediction
from typeserve.experiments.metrics.info import MetricInfo

METRICS = (MetricInfo("bleu", "BLEU", True, "0-100"), MetricInfo("chrf", "chrF", True, "0-100"))


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    hypotheses = [prediction("translation", output) or "" for output in outputs]
    references = [[str(reference) for reference in expected]]
    import sacrebleu  # imported on use: the server imports this module at start

    return {
        "bleu": float(sacrebleu.corpus_bleu(hypotheses, references).score),
        "chrf": float(sacrebleu.corpus_chrf(hypotheses, references).score),
    }
