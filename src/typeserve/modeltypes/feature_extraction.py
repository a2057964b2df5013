"""feature-extraction: a text in, one embedding vector out (sentence embeddings for search,
clustering and similarity).

Scored by retrieval on labelled pairs: rows that carry the same `pair` value belong together (a
question and its answer, a sentence and its translation). Every row is a query against all
other rows, ranked by cosine similarity; retrieval accuracy is the share of queries whose
nearest row is one of its own pair, and the mean reciprocal rank says how far down the first
such row lies. A failed row has no vector: as a query it scores 0, and it is never found. Rows
without a partner are candidates (distractors) only."""

from collections import Counter
from typing import Any

import numpy as np
from pydantic import Field, model_validator

from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.compat import Compatibility, HfTask, OpenAiEndpoint
from typeserve.modeltypes.compat.hf import IGNORED, only, sets, text_inputs
from typeserve.modeltypes.compat.openai import embeddings_answer, embeddings_request
from typeserve.modeltypes.compat.v2 import OUTPUT_AS_JSON, TEXT_SIGNATURE, V2Output, V2Signature
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring
from typeserve.modeltypes.text import TextOrList


class FeatureExtractionInput(WireModel):
    input: TextOrList = Field(description="The text to embed, or a list of texts.")
    normalize: bool = Field(default=True, description="Scale the embedding to unit length (cosine = dot product).")


class FeatureExtractionOutput(WireModel):
    embedding: list[float] = Field(description="The text's embedding.")
    dimensions: int = Field(ge=1, description="Length of `embedding`.")

    @model_validator(mode="after")
    def _length_matches(self) -> "FeatureExtractionOutput":
        if len(self.embedding) != self.dimensions:
            raise ValueError("dimensions must be the length of embedding")
        return self


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


def score_retrieval(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    found = ranks([vector_of(output) for output in outputs], [str(value) for value in expected])
    if not found:
        return {"retrieval_accuracy": None, "mean_reciprocal_rank": None}
    return {
        "retrieval_accuracy": sum(rank == 1 for rank in found) / len(found),
        "mean_reciprocal_rank": sum(1 / rank for rank in found if rank) / len(found),
    }


MODEL_TYPE = ModelType(
    name="feature-extraction",
    title="Feature extraction (embeddings)",
    description="Turns a text into a fixed-length vector; similar texts get nearby vectors.",
    Input=FeatureExtractionInput,
    Output=FeatureExtractionOutput,
    media="text",
    example_input={"input": "The house is green."},
    example_output={"embedding": [0.0123, -0.0456, 0.0789], "dimensions": 3},
    scoring=Scoring(
        expected_field="pair",
        metrics=(
            MetricInfo("retrieval_accuracy", "Retrieval accuracy", True),
            MetricInfo("mean_reciprocal_rank", "Mean reciprocal rank", True),
        ),
        scorer=score_retrieval,
        # The vector itself is too long to show beside the expected pair.
        prediction=lambda output: {"dimensions": output.get("dimensions")},
    ),
    try_it=TryItView(picture="embedding", field="embedding", hint="{dimensions} dimensions"),
    sdk=SdkMethod("feature_extraction", {"text": "input"}),
    accepts_list=True,
    compat=Compatibility(
        hf=HfTask(
            "feature-extraction",
            text_inputs(),
            lambda output, _: output["embedding"],
            {
                "normalize": sets("normalize"),
                "truncate": IGNORED,
                "truncation_direction": only("right"),
                "encoding_format": only("float"),
            },
            wrap_single=True,
        ),
        openai=(OpenAiEndpoint("embeddings", embeddings_request, embeddings_answer),),
        v2=V2Signature(
            TEXT_SIGNATURE.inputs, (OUTPUT_AS_JSON, V2Output("embedding", "FP32", (-1,), lambda o: o["embedding"]))
        ),
    ),
)
