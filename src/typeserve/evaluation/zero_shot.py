"""The zero-shot classifier on WordNet definitions (see text_data): each of 200 common nouns'
definitions is classified into its lexicographer category, the eight categories given as
labels (animal, food, plant, body part, place, person, time, feeling). Accuracy and macro-F1."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.evaluation.text_data import NOUN_CATEGORIES, wordnet_nouns
from typeserve.experiments.metrics import classification
from typeserve.inference import LocalInference

MODEL = "sentence-transformers/1/minilm-zero-shot"
DATASET = "Debian wordnet-base: definitions of 200 common nouns, 8 categories"


async def evaluate_zero_shot(run: LocalInference) -> list[EvalResult]:
    nouns = wordnet_nouns()
    labels = list(NOUN_CATEGORIES.values())
    outputs = []
    for noun in nouns:
        body, _ = await run(MODEL, payload={"input": noun.definition, "labels": labels})
        outputs.append(body)
    figures = classification.score(outputs, [noun.category for noun in nouns])
    return [EvalResult(MODEL, name, float(value or 0.0), DATASET, len(nouns)) for name, value in figures.items()]


EVALS = {MODEL: evaluate_zero_shot}
