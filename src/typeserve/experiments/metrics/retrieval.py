"""Retrieval accuracy of embeddings on labelled pairs: rows that carry the same `pair` value
belong together (a question and its answer, a sentence and its translation). Every row is a
query against all other rows, ranked by cosine similarity; retrieval accuracy is the share of
queries whose nearest row is one of its own pair, and the mean reciprocal rank says how far
down the first such row lies. A failed row has no vector: as a query it scores 0, and it is
never found. Rows without a partner are candidates (distractors) only."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from typeserve.experiments.metrics.info import MetricInfo

METRICS = (
    MetricInfo("retrieval_accuracy", "Retrieval accuracy", True),
    MetricInfo("mean_reciprocal_rank", "Mean reciprocal rank", True),
)


def vector_of(output: dict[str, Any] | None) -> np.ndarray | None:
    values = (output or {}).get("embedding")
    if not values:
        return None
    vector = np.asarray(values, dtype=np.float64)
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else None


def ranks(vectors: list[np.ndarray | None], groups: list[str]) -> list[int | None]:
    """Per query with a partner: the 1-based rank of its first partner (None: never found)."""
    dimension = next((len(v) for v in vectors if v is not None), 0)
    matrix = np.array([v if v is not None and len(v) == dimension else np.zeros(dimension) for v in vectors])
    valid = np.array([v is not None and len(v) == dimension for v in vectors])
    sizes = Counter(groups)
    found: list[int | None] = []
    for index, group in enumerate(groups):
        if sizes[group] < 2:
            continue
        if not valid[index]:
            found.append(None)
            continue
        similarity = matrix @ matrix[index]
        similarity[~valid] = -np.inf
        similarity[index] = -np.inf  # a row is never its own answer
        order = np.argsort(-similarity, kind="stable")
        partners = [rank for rank, row in enumerate(order, 1) if groups[row] == group and row != index and valid[row]]
        found.append(partners[0] if partners else None)
    return found


def score(outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    found = ranks([vector_of(output) for output in outputs], [str(value) for value in expected])
    if not found:
        return {"retrieval_accuracy": None, "mean_reciprocal_rank": None}
    return {
        "retrieval_accuracy": sum(rank == 1 for rank in found) / len(found),
        "mean_reciprocal_rank": sum(1 / rank for rank in found if rank) / len(found),
    }
