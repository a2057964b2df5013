"""The embedding models on labelled pairs from packaged data (see text_data): a query retrieves
its partner among all candidates of the other side by cosine similarity.

- WordNet reverse dictionary: each of 200 common nouns' definitions retrieves the noun
  among the 200 nouns (English).
- coreutils translations: each English message retrieves its German, French or Spanish
  translation among all translations of that language (cross-lingual).

Figures: retrieval accuracy (the partner ranks first) and mean reciprocal rank."""

from __future__ import annotations

import numpy as np

from typeserve.evaluation import EvalResult, Evaluation
from typeserve.evaluation.text_data import message_pairs, wordnet_nouns
from typeserve.inference import LocalInference
from typeserve.modeltypes.text import MAX_LIST_INPUTS

MODELS = (
    "sentence-transformers/1/all-minilm-l6-v2",
    "sentence-transformers/1/all-minilm-l6-v2-int8",
    "intfloat/1/multilingual-e5-small-q4",
)
LANGUAGES = ("de", "fr", "es")


async def embed_all(run: LocalInference, model_id: str, texts: list[str]) -> np.ndarray:
    rows = []
    for start in range(0, len(texts), MAX_LIST_INPUTS):
        body, _ = await run(model_id, payload={"input": texts[start : start + MAX_LIST_INPUTS]})
        rows += [result["embedding"] for result in body["results"]]
    return np.asarray(rows, dtype=np.float64)


def partner_ranks(queries: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Rank (1 = best) of candidate i among all candidates for query i."""
    similarity = queries @ candidates.T
    own = similarity[np.arange(len(queries)), np.arange(len(queries))]
    ranks: np.ndarray = (similarity > own[:, None]).sum(axis=1) + 1
    return ranks


def retrieval_figures(model_id: str, ranks: np.ndarray, dataset: str) -> list[EvalResult]:
    count = len(ranks)
    return [
        EvalResult(model_id, "retrieval_accuracy", float(np.mean(ranks == 1)), dataset, count),
        EvalResult(model_id, "mean_reciprocal_rank", float(np.mean(1.0 / ranks)), dataset, count),
    ]


def embedding_evaluation(model_id: str) -> Evaluation:
    async def evaluate(run: LocalInference) -> list[EvalResult]:
        nouns = wordnet_nouns()
        definitions = await embed_all(run, model_id, [noun.definition for noun in nouns])
        words = await embed_all(run, model_id, [noun.word for noun in nouns])
        dataset = f"Debian wordnet-base: definition -> noun among {len(nouns)} common nouns (English)"
        results = retrieval_figures(model_id, partner_ranks(definitions, words), dataset)
        for language in LANGUAGES:
            pairs = message_pairs(language)
            english = await embed_all(run, model_id, [en for en, _ in pairs])
            translated = await embed_all(run, model_id, [other for _, other in pairs])
            dataset = f"Debian coreutils messages: English -> {language} translation among {len(pairs)}"
            results += retrieval_figures(model_id, partner_ranks(english, translated), dataset)
        return results

    return evaluate


EVALS = {model_id: embedding_evaluation(model_id) for model_id in MODELS}
