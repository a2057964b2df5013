"""token-classification: a text in, the named entities (or tagged tokens) in it out, with
character offsets into the text."""

from typing import Literal

from pydantic import Field

from typeserve.modeltypes.base import ModelType, WireModel
from typeserve.modeltypes.text import TextOrList

Aggregation = Literal["simple", "none"]


class TokenClassificationInput(WireModel):
    input: TextOrList = Field(description="The text to tag, or a list of texts.")
    aggregation: Aggregation = Field(
        default="simple",
        description="`simple`: one entry per entity (B-/I- tags merged); `none`: one entry per tagged token.",
    )


class Entity(WireModel):
    entity: str = Field(description="Entity type (PER, ORG, ...), or the token's tag with aggregation `none`.")
    word: str = Field(description="The text of the entity: `input[start:end]`.")
    score: float = Field(ge=0.0, le=1.0)
    start: int = Field(ge=0, description="Character offset of the entity in `input`.")
    end: int = Field(ge=0, description="Character offset just past the entity in `input`.")


class TokenClassificationOutput(WireModel):
    entities: list[Entity] = Field(description="Entities in the order they appear in the text.")


MODEL_TYPE = ModelType(
    name="token-classification",
    title="Token classification (named entities)",
    description="Finds the named entities in a text: people, organisations, places and more.",
    Input=TokenClassificationInput,
    Output=TokenClassificationOutput,
    media="text",
    example_input={"input": "My name is Wolfgang and I live in Berlin."},
    example_output={
        "entities": [
            {"entity": "PER", "word": "Wolfgang", "score": 0.99, "start": 11, "end": 19},
            {"entity": "LOC", "word": "Berlin", "score": 0.99, "start": 34, "end": 40},
        ]
    },
    metrics=("entity_f1", "entity_precision", "entity_recall"),
    accepts_list=True,
)
