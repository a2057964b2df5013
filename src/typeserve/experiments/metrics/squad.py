"""SQuAD exact match and F1 for question answering, as the official SQuAD v1.1 evaluation
script computes them: answers are normalised (lower case, punctuation and the articles a/an/the
removed, whitespace collapsed), each prediction scores its best match among the expected
answers, and the scores are averaged over rows."""

from __future__ import annotations

import re
import string
from collections import Counter
from typing import Any

from typeserve.experiments.answers import prediction
from typeserve.experiments.metrics.info import MetricInfo

METRICS = (MetricInfo("exact_match", "Exact match (SQuAD)", True), MetricInfo("f1", "F1 (SQuAD)", True))

ARTICLES = re.compile(r"\b(a|an|the)\b")
PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """The official script's `normalize_answer`, step for step."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in PUNCTUATION)
    text = ARTICLES.sub(" ", text)
    return " ".join(text.split())


def exact_match(predicted: str, truth: str) -> float:
    return float(normalize_answer(predicted) == normalize_answer(truth))


def token_f1(predicted: str, truth: str) -> float:
    predicted_tokens = normalize_answer(predicted).split()
    truth_tokens = normalize_answer(truth).split()
    common = Counter(predicted_tokens) & Counter(truth_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(predicted_tokens)
    recall = same / len(truth_tokens)
    return 2 * precision * recall / (precision + recall)


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    em = f1 = 0.0
    for output, answers in zip(outputs, expected, strict=True):
        truths = [str(a) for a in answers] if isinstance(answers, list) else [str(answers)]
        predicted = prediction("question-answering", output) or ""
        em += max(exact_match(predicted, t) for t in truths)
        f1 += max(token_f1(predicted, t) for t in truths)
    return {"exact_match": em / len(expected), "f1": f1 / len(expected)}
