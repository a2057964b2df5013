"""zero-shot-classification: a text and candidate labels in, every label with a score out, for
labels the model was never trained on. Scored like the label types: accuracy and macro-F1
of the top label, the dataset row giving `labels` (the candidates) and `label` (the answer)."""

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from typeserve.modeltypes.base import LabelsOutput, ModelType, SdkMethod, WireModel
from typeserve.modeltypes.compat import Compatibility, HfTask
from typeserve.modeltypes.compat.hf import labels_answer, sets, text_inputs
from typeserve.modeltypes.compat.v2 import V2Input, V2Signature
from typeserve.modeltypes.labels import LABELS_SCORING, LABELS_VIEW
from typeserve.modeltypes.text import Text

MAX_LABELS = 32
DEFAULT_HYPOTHESIS = "This example is {}."

CandidateLabel = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]


class ZeroShotClassificationInput(WireModel):
    input: Text = Field(description="The text to classify.")
    labels: list[CandidateLabel] = Field(
        min_length=1, max_length=MAX_LABELS, description="The candidate labels, in any wording."
    )
    multiLabel: bool = Field(
        default=False, description="Score each label on its own (several may fit) instead of scores that sum to 1."
    )
    hypothesisTemplate: str = Field(
        default=DEFAULT_HYPOTHESIS,
        min_length=2,
        max_length=500,
        description="How a label becomes a sentence to compare with the text; `{}` stands for the label.",
    )

    @field_validator("labels")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("labels must be distinct")
        return value

    @field_validator("hypothesisTemplate")
    @classmethod
    def _has_slot(cls, value: str) -> str:
        if value.count("{}") != 1:
            raise ValueError("must contain `{}` exactly once, where the label goes")
        return value

    def hypotheses(self) -> list[str]:
        return [self.hypothesisTemplate.replace("{}", label) for label in self.labels]


MODEL_TYPE = ModelType(
    name="zero-shot-classification",
    title="Zero-shot classification",
    description="Scores a text against labels given in the request, with no training on them.",
    Input=ZeroShotClassificationInput,
    Output=LabelsOutput,
    media="text",
    example_input={"input": "I booked a flight and a hotel in Lisbon.", "labels": ["travel", "cooking", "sports"]},
    example_output={
        "labels": [
            {"label": "travel", "score": 0.91},
            {"label": "sports", "score": 0.05},
            {"label": "cooking", "score": 0.04},
        ]
    },
    scoring=LABELS_SCORING,
    try_it=LABELS_VIEW,
    sdk=SdkMethod("zero_shot_classification", {"text": "input", "labels": "labels"}),
    compat=Compatibility(
        hf=HfTask(
            "zero-shot-classification",
            text_inputs(),
            labels_answer,
            {
                "candidate_labels": sets("labels"),
                "multi_label": sets("multiLabel"),
                "hypothesis_template": sets("hypothesisTemplate"),
            },
        ),
        v2=V2Signature((V2Input("input"), V2Input("labels", many=True))),
    ),
)
