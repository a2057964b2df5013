"""summarization: a long text in, a shorter text out. Scored by ROUGE-1, ROUGE-2 and ROUGE-L
F-measures, with Google's rouge-score (Porter stemming on, as in the usual reporting),
averaged over rows."""

from typing import Any, Self

from pydantic import Field, model_validator

from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, value_of
from typeserve.modeltypes.text import TextOrList


class SummarizationInput(WireModel):
    input: TextOrList = Field(description="The text to summarize, or a list of texts.")
    maxLength: int | None = Field(default=None, ge=1, le=4096, description="Upper bound, in words or tokens.")
    minLength: int | None = Field(default=None, ge=0, le=4096, description="Lower bound, in words or tokens.")

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.maxLength is not None and self.minLength is not None and self.minLength > self.maxLength:
            raise ValueError("minLength must not exceed maxLength")
        return self


class SummarizationOutput(WireModel):
    summary: str


ROUGE_KINDS = ("rouge1", "rouge2", "rougeL")


def score_summaries(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    from rouge_score import rouge_scorer  # imported on use: the server imports this module at start

    scorer = rouge_scorer.RougeScorer(list(ROUGE_KINDS), use_stemmer=True)
    totals = dict.fromkeys(ROUGE_KINDS, 0.0)
    for output, reference in zip(outputs, expected, strict=True):
        scores = scorer.score(str(reference), (output or {}).get("summary") or "")
        for kind in ROUGE_KINDS:
            totals[kind] += scores[kind].fmeasure
    return {kind: total / len(expected) for kind, total in totals.items()}


MODEL_TYPE = ModelType(
    name="summarization",
    title="Summarization",
    description="Condenses a text into a shorter summary.",
    Input=SummarizationInput,
    Output=SummarizationOutput,
    media="text",
    example_input={
        "input": "The tower is 324 metres tall, about the same height as an 81-storey building. "
        "It was the tallest man-made structure in the world for 41 years."
    },
    example_output={"summary": "The tower is 324 metres tall."},
    scoring=Scoring(
        expected_field="summary",
        metrics=(
            MetricInfo("rouge1", "ROUGE-1", True),
            MetricInfo("rouge2", "ROUGE-2", True),
            MetricInfo("rougeL", "ROUGE-L", True),
        ),
        scorer=score_summaries,
        prediction=value_of("summary"),
    ),
    try_it=TryItView(picture="text", field="summary"),
    sdk=SdkMethod("summarization", {"text": "input"}),
    accepts_list=True,
)
