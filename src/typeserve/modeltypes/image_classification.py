"""image-classification: an image in, labels with scores out."""

from pydantic import Field

from typeserve.modeltypes.base import LabelsOutput, ModelType, SdkMethod, TopK, WireModel
from typeserve.modeltypes.labels import LABELS_SCORING, LABELS_VIEW
from typeserve.modeltypes.media_refs import MediaRef


class ImageClassificationInput(WireModel):
    imageRef: MediaRef = Field(description="The image: base64 `Bytes` or a `URL`.")
    topK: int | None = TopK


MODEL_TYPE = ModelType(
    name="image-classification",
    title="Image classification",
    description="Assigns labels with confidence scores to an image.",
    Input=ImageClassificationInput,
    Output=LabelsOutput,
    media="image",
    example_input={"imageRef": {"URL": "https://example.com/cat.jpg"}},
    example_output={"labels": [{"label": "tabby cat", "score": 0.8}]},
    scoring=LABELS_SCORING,
    try_it=LABELS_VIEW,
    sdk=SdkMethod("image_classification", {"image": "imageRef"}),
    query_options=("topK",),
)
