"""text-classification: a text in, labels with scores out (sentiment, language id, topics)."""

from pydantic import Field

from typeserve.modeltypes.base import LabelsOutput, ModelType, SdkMethod, TopK, WireModel
from typeserve.modeltypes.labels import LABELS_SCORING, LABELS_VIEW
from typeserve.modeltypes.text import TextOrList


class TextClassificationInput(WireModel):
    input: TextOrList = Field(description="The text to classify, or a list of texts.")
    topK: int | None = TopK


MODEL_TYPE = ModelType(
    name="text-classification",
    title="Text classification",
    description="Assigns labels with confidence scores to a text.",
    Input=TextClassificationInput,
    Output=LabelsOutput,
    media="text",
    example_input={"input": "I love this product!"},
    example_output={"labels": [{"label": "POSITIVE", "score": 0.98}, {"label": "NEUTRAL", "score": 0.02}]},
    scoring=LABELS_SCORING,
    try_it=LABELS_VIEW,
    sdk=SdkMethod("text_classification", {"text": "input"}),
    accepts_list=True,
)
