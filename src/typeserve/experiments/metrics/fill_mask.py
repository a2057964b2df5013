"""Top-1 and top-5 accuracy of fill-mask predictions: is the expected token the best guess,
or among the five best? Tokens are compared after trimming whitespace (sub-word tokenizers
mark word starts with a space or `Ġ`/`▁`)."""

from __future__ import annotations

from typing import Any

from typeserve.experiments.metrics.info import MetricInfo

METRICS = (MetricInfo("top1_accuracy", "Top-1 accuracy", True), MetricInfo("top5_accuracy", "Top-5 accuracy", True))


def clean_token(token: str) -> str:
    return token.strip().lstrip("Ġ▁").strip()


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    top1 = top5 = 0
    for output, answer in zip(outputs, expected, strict=True):
        tokens = [clean_token(p["token"]) for p in (output or {}).get("predictions", [])]
        wanted = clean_token(str(answer))
        top1 += bool(tokens[:1] == [wanted])
        top5 += wanted in tokens[:5]
    return {"top1_accuracy": top1 / len(expected), "top5_accuracy": top5 / len(expected)}
