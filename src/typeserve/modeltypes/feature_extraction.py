"""feature-extraction: a text in, one embedding vector out (sentence embeddings for search,
clustering and similarity)."""

from pydantic import Field, model_validator

from typeserve.modeltypes.base import ModelType, WireModel
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


MODEL_TYPE = ModelType(
    name="feature-extraction",
    title="Feature extraction (embeddings)",
    description="Turns a text into a fixed-length vector; similar texts get nearby vectors.",
    Input=FeatureExtractionInput,
    Output=FeatureExtractionOutput,
    media="text",
    example_input={"input": "The house is green."},
    example_output={"embedding": [0.0123, -0.0456, 0.0789], "dimensions": 3},
    metrics=("retrieval_accuracy", "mean_reciprocal_rank"),
    accepts_list=True,
)
