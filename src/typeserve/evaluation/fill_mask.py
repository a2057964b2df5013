"""Fill-mask on 30 held-out English sentences written for this project, each with one masked
word: top-1 and top-5 accuracy (the masked word among the first one or five predictions)."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.inference import LocalInference

DATASET = "typeserve masked-30 (English)"
MASKED: list[tuple[str, str]] = [
    ("I would like a cup of [MASK], please.", "coffee"),
    ("Thank [MASK] very much for your help.", "you"),
    ("She opened the [MASK] and walked into the room.", "door"),
    ("We are going to the [MASK] to buy some food.", "store"),
    ("It is going to [MASK] tomorrow, so take an umbrella.", "rain"),
    ("He brushes his [MASK] every morning.", "teeth"),
    ("The children are playing in the [MASK] behind the school.", "park"),
    ("I have been waiting for an [MASK] and a half.", "hour"),
    ("Can you tell me what [MASK] it is?", "time"),
    ("The president will give a [MASK] tonight.", "speech"),
    ("My sister lives in New [MASK] City.", "york"),
    ("Turn off the [MASK] when you leave the room.", "lights"),
    ("The stock [MASK] fell sharply on Monday.", "market"),
    ("I do not [MASK] what you mean.", "know"),
    ("He was born in the United [MASK].", "states"),
    ("Please sit [MASK] and wait for your name.", "down"),
    ("We watched a [MASK] at the cinema last night.", "movie"),
    ("The doctor told him to stop [MASK] cigarettes.", "smoking"),
    ("She drinks a glass of [MASK] before bed.", "milk"),
    ("They got married last [MASK].", "year"),
    ("How [MASK] does it cost?", "much"),
    ("I will call you back in a few [MASK].", "minutes"),
    ("The police arrested the [MASK] yesterday.", "suspect"),
    ("Let me know if you have any [MASK].", "questions"),
    ("It was the best day of my [MASK].", "life"),
    ("The plane landed safely at the [MASK].", "airport"),
    ("We need to talk about the [MASK] of the project.", "future"),
    ("Have a nice [MASK]!", "day"),
    ("He works as a [MASK] at the local hospital.", "nurse"),
    ("The game was cancelled because of the [MASK].", "weather"),
]


async def evaluate_fill_mask(run: LocalInference, model_id: str) -> list[EvalResult]:
    body, _ = await run(model_id, payload={"input": [text for text, _ in MASKED], "topK": 5})
    tokens = [[p["token"].strip().lower() for p in result["predictions"]] for result in body["results"]]
    top1 = sum(found[:1] == [word] for found, (_, word) in zip(tokens, MASKED, strict=True))
    top5 = sum(word in found[:5] for found, (_, word) in zip(tokens, MASKED, strict=True))
    return [
        EvalResult(model_id, "top1_accuracy", top1 / len(MASKED), DATASET, len(MASKED)),
        EvalResult(model_id, "top5_accuracy", top5 / len(MASKED), DATASET, len(MASKED)),
    ]


async def evaluate_cmu_trigram(run: LocalInference) -> list[EvalResult]:
    return await evaluate_fill_mask(run, "cmu/1/en-us-trigram")


EVALS = {"cmu/1/en-us-trigram": evaluate_cmu_trigram}
