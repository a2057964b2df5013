"""image-object-detection: an image in, labelled boxes in the image's pixels out."""

from pydantic import Field

from typeserve.modeltypes.base import ModelType, WireModel
from typeserve.modeltypes.compat import Compatibility, HfTask
from typeserve.modeltypes.compat.hf import media_inputs, sets
from typeserve.modeltypes.compat.v2 import media_signature
from typeserve.modeltypes.media_refs import MediaRef


class ObjectDetectionInput(WireModel):
    imageRef: MediaRef = Field(description="The image: base64 `Bytes` or a `URL`.")
    threshold: float | None = Field(default=None, ge=0.0, le=1.0, description="Drop detections scoring below this.")


class Box(WireModel):
    xmin: int
    ymin: int
    xmax: int
    ymax: int


class Detection(WireModel):
    label: str
    score: float = Field(ge=0.0, le=1.0)
    box: Box = Field(description="Pixel coordinates in the input image.")


class ObjectDetectionOutput(WireModel):
    width: int = Field(description="Width of the input image in pixels.")
    height: int = Field(description="Height of the input image in pixels.")
    detections: list[Detection] = Field(description="Detections sorted best first.")


MODEL_TYPE = ModelType(
    name="image-object-detection",
    title="Object detection",
    description="Finds objects in an image and returns their labels and bounding boxes.",
    Input=ObjectDetectionInput,
    Output=ObjectDetectionOutput,
    media="image",
    example_input={"imageRef": {"URL": "https://example.com/people.jpg"}},
    example_output={
        "width": 640,
        "height": 480,
        "detections": [
            {
                "label": "face",
                "score": 0.9,
                "box": {"xmin": 10, "ymin": 20, "xmax": 110, "ymax": 140},
            }
        ],
    },
    metrics=("map50", "map50_95"),
    query_options=("threshold",),
    compat=Compatibility(
        hf=HfTask(
            "object-detection",
            media_inputs("imageRef"),
            lambda output, _: [
                {"score": d["score"], "label": d["label"], "box": d["box"]} for d in output["detections"]
            ],
            {"threshold": sets("threshold")},
        ),
        v2=media_signature("imageRef"),
    ),
)
