"""VADER on a small hand-labelled set of English product and service reviews (20 sentences written for
this project, so VADER never saw them)."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.inference import LocalInference

REVIEWS: list[tuple[str, str]] = [
    ("Absolutely love it, works perfectly and arrived early!", "POSITIVE"),
    ("Great value for the money, I would buy it again.", "POSITIVE"),
    ("The staff were friendly and the room was spotless.", "POSITIVE"),
    ("Best purchase I have made this year.", "POSITIVE"),
    ("Excellent sound quality and the battery lasts forever.", "POSITIVE"),
    ("Terrible. It broke after two days.", "NEGATIVE"),
    ("The worst customer service I have ever dealt with.", "NEGATIVE"),
    ("Awful smell, cheap plastic, total waste of money.", "NEGATIVE"),
    ("I hate how slow and buggy this app is.", "NEGATIVE"),
    ("Disappointing: the colour is wrong and it does not fit.", "NEGATIVE"),
    ("The package arrived on Tuesday.", "NEUTRAL"),
    ("It is a blue mug that holds 300 ml.", "NEUTRAL"),
    ("The manual has twelve pages.", "NEUTRAL"),
    ("I ordered the medium size.", "NEUTRAL"),
    ("The store opens at nine in the morning.", "NEUTRAL"),
    # Harder: negation, sarcasm, faint praise.
    ("Not bad at all, actually.", "POSITIVE"),
    ("Oh great, another update that breaks everything.", "NEGATIVE"),
    ("I expected more for this price.", "NEGATIVE"),
    ("It does what it says, nothing more.", "NEUTRAL"),
    ("Could not be happier with it!", "POSITIVE"),
]


async def evaluate_vader(run: LocalInference) -> list[EvalResult]:
    body, _ = await run("vader/1/sentiment", payload={"input": [text for text, _ in REVIEWS]})
    predicted = [result["labels"][0]["label"] for result in body["results"]]
    correct = sum(p == expected for p, (_, expected) in zip(predicted, REVIEWS, strict=True))
    return [
        EvalResult(
            "vader/1/sentiment", "accuracy", correct / len(REVIEWS), "typeserve reviews-20 (3 classes)", len(REVIEWS)
        )
    ]


EVALS = {"vader/1/sentiment": evaluate_vader}
