"""token-classification: a text in, the named entities (or tagged tokens) in it out, with
character offsets into the text.

Scored by entity-level precision, recall and F1 with seqeval: an entity counts only when both
its type and its exact character span match an expected one. Expected answers are lists of
`{"entity", "start", "end"}` (offsets into the row's input); `entity` may list several
accepted types (`["GPE", "LOC"]`). Entity types the dataset never names are not scored, so a
model is neither rewarded nor punished for types nobody asked about (dates, when only people
were marked). Both sides become IOB2 tags over the characters of the text, so models that split
words differently are compared on the same units. A failed row predicts no entities; per-token
entries (`aggregation: none`) are one-token entities here, so run experiments aggregated."""

from typing import Any, Literal

from pydantic import Field

from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.compat import Compatibility, HfTask
from typeserve.modeltypes.compat.hf import IGNORED, sets, text_inputs
from typeserve.modeltypes.compat.v2 import TEXT_SIGNATURE
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, value_of
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


ENTITY_METRICS = (
    MetricInfo("entity_f1", "Entity F1", True),
    MetricInfo("entity_precision", "Entity precision", True),
    MetricInfo("entity_recall", "Entity recall", True),
)


Span = tuple[int, int, str]  # character start, end, entity type


def entity_type(value: Any) -> str:
    return str(value).removeprefix("B-").removeprefix("I-")


def found_spans(output: Output) -> list[Span]:
    entities = (output or {}).get("entities") or []
    return [(int(e["start"]), int(e["end"]), entity_type(e["entity"])) for e in entities]


def accepted_types(entity: dict[str, Any]) -> list[str]:
    value = entity["entity"]
    return [entity_type(v) for v in value] if isinstance(value, list) else [entity_type(value)]


def expected_spans(answer: Any, found: list[Span]) -> list[Span]:
    """The expected entities, each with the type a found entity of the same span has where it is
    one of the accepted types (else its first accepted type)."""
    spans = []
    for entity in answer or []:
        if not (isinstance(entity, dict) and {"entity", "start", "end"} <= entity.keys()):
            continue
        start, end, types = int(entity["start"]), int(entity["end"]), accepted_types(entity)
        chosen = next((t for s, e, t in found if (s, e) == (start, end) and t in types), types[0])
        spans.append((start, end, chosen))
    return spans


def character_tags(spans: list[Span], length: int) -> list[str]:
    tags = ["O"] * length
    for start, end, label in sorted(spans):
        if start >= end or any(tag != "O" for tag in tags[start:end]):
            continue  # empty or overlapping: tags cannot say it
        tags[start] = f"B-{label}"
        for position in range(start + 1, end):
            tags[position] = f"I-{label}"
    return tags


def score_entities(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    named = {
        t for answer in expected for entity in answer or [] if isinstance(entity, dict) for t in accepted_types(entity)
    }
    truth, predicted = [], []
    for output, answer in zip(outputs, expected, strict=True):
        found = [span for span in found_spans(output) if span[2] in named]
        wanted = expected_spans(answer, found)
        length = max([end for _, end, _ in wanted + found], default=0) + 1
        truth.append(character_tags(wanted, length))
        predicted.append(character_tags(found, length))
    if not any(tag != "O" for tags in truth + predicted for tag in tags):
        return {info.name: None for info in ENTITY_METRICS}
    options: dict[str, Any] = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
    return {
        "entity_f1": float(f1_score(truth, predicted, **options)),
        "entity_precision": float(precision_score(truth, predicted, **options)),
        "entity_recall": float(recall_score(truth, predicted, **options)),
    }


def hf_entities(output: dict[str, Any], parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """HF's `[{entity_group, score, word, start, end}]` (`entity` per token with aggregation none)."""
    key = "entity" if parameters.get("aggregation_strategy") == "none" else "entity_group"
    return [
        {key: e["entity"], "score": e["score"], "word": e["word"], "start": e["start"], "end": e["end"]}
        for e in output["entities"]
    ]


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
    scoring=Scoring(
        expected_field="entities",
        metrics=ENTITY_METRICS,
        scorer=score_entities,
        prediction=value_of("entities"),
    ),
    try_it=TryItView(picture="entities", field="entities", hint="{count} entities"),
    sdk=SdkMethod("token_classification", {"text": "input"}),
    accepts_list=True,
    compat=Compatibility(
        hf=HfTask(
            "token-classification",
            text_inputs(),
            hf_entities,
            {"aggregation_strategy": sets("aggregation", values=("simple", "none")), "stride": IGNORED},
        ),
        v2=TEXT_SIGNATURE,
    ),
)
