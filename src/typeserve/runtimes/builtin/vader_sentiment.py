"""VADER sentiment (vaderSentiment's lexicon and rules) as text-classification.

VADER's compound score c in [-1, 1] decides the label with its documented thresholds
(c >= 0.05 positive, c <= -0.05 negative, else neutral); the winning label scores
0.5 + |c| / 2 and the rest is shared by the other two in VADER's own proportions, so the
scores are a distribution whose best label always agrees with VADER's verdict."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import ranked_pairs

THRESHOLD = 0.05


def sentiment_distribution(polarity: dict[str, float]) -> dict[str, float]:
    compound = polarity["compound"]
    shares = {"POSITIVE": polarity["pos"], "NEGATIVE": polarity["neg"], "NEUTRAL": polarity["neu"]}
    if compound >= THRESHOLD:
        winner, top = "POSITIVE", 0.5 + compound / 2
    elif compound <= -THRESHOLD:
        winner, top = "NEGATIVE", 0.5 - compound / 2
    else:
        winner, top = "NEUTRAL", 1.0 - abs(compound)
    others = [label for label in shares if label != winner]
    total = sum(shares[label] for label in others)
    rest = 1.0 - top
    scores = {winner: top}
    for label in others:
        scores[label] = rest * (shares[label] / total if total > 0 else 1 / len(others))
    return scores


class VaderSentiment(LoadedModel):
    max_batch_size = 64

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        outputs = []
        for item in batch:
            scores = sentiment_distribution(self.analyzer.polarity_scores(item.input))
            outputs.append(ranked_pairs(scores, item.topK))
        return outputs


def load(spec: ModelSpec, device: str) -> VaderSentiment:
    return VaderSentiment()
