"""image-object-detection: an image in, labelled boxes in the image's pixels out.

Scored by COCO mean average precision of detections at IoU 0.5 and averaged over IoU
0.5:0.95, with pycocotools' COCOeval (the reference implementation). Expected boxes are
`[{"label": "face", "xmin": .., "ymin": .., "xmax": .., "ymax": ..}]` (or with the corners
under `"box"`), in the pixels of the row's image. A row whose list is empty is an image with
nothing on it: every detection there is a false positive. If the expected boxes carry no
labels, evaluation is class-agnostic (every detection competes)."""

import contextlib
import io
from typing import Any

from pydantic import Field

from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.media_refs import MediaRef
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring


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


AGNOSTIC = "object"


def corners(box: dict[str, Any]) -> tuple[float, float, float, float]:
    source = box.get("box", box)
    return float(source["xmin"]), float(source["ymin"]), float(source["xmax"]), float(source["ymax"])


def coco_box(box: dict[str, Any]) -> list[float]:
    xmin, ymin, xmax, ymax = corners(box)
    return [xmin, ymin, max(xmax - xmin, 0.0), max(ymax - ymin, 0.0)]


def score_detections(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    agnostic = any("label" not in box for boxes in expected for box in boxes)

    def label_of(item: dict[str, Any]) -> str:
        return AGNOSTIC if agnostic else str(item["label"])

    categories = sorted({label_of(box) for boxes in expected for box in boxes})
    if not categories:
        return {"map50": None, "map50_95": None}  # no object anywhere: precision is undefined
    category_ids = {name: number for number, name in enumerate(categories, start=1)}
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    detections: list[dict[str, Any]] = []
    for image_id, (output, boxes) in enumerate(zip(outputs, expected, strict=True), start=1):
        width = (output or {}).get("width", 0)
        height = (output or {}).get("height", 0)
        images.append({"id": image_id, "width": width, "height": height})
        for box in boxes:
            x, y, w, h = coco_box(box)
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": image_id,
                    "category_id": category_ids[label_of(box)],
                    "bbox": [x, y, w, h],
                    "area": w * h,
                    "iscrowd": 0,
                }
            )
        for detection in (output or {}).get("detections", []):
            category = category_ids.get(label_of(detection))
            if category is None:
                continue  # a class nobody annotated cannot be scored
            detections.append(
                {
                    "image_id": image_id,
                    "category_id": category,
                    "bbox": coco_box(detection),
                    "score": float(detection["score"]),
                }
            )
    if not detections:
        return {"map50": 0.0, "map50_95": 0.0}
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints its progress
        truth = COCO()
        truth.dataset = {
            "images": images,
            "annotations": annotations,
            "categories": [{"id": number, "name": name} for name, number in category_ids.items()],
        }
        truth.createIndex()
        evaluation = COCOeval(truth, truth.loadRes(detections), iouType="bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    map50_95, map50 = float(evaluation.stats[0]), float(evaluation.stats[1])
    # COCOeval answers -1 where no ground truth made a value defined.
    return {"map50": max(map50, 0.0), "map50_95": max(map50_95, 0.0)}


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
    scoring=Scoring(
        expected_field="boxes",
        metrics=(MetricInfo("map50", "mAP@0.5", True), MetricInfo("map50_95", "mAP@0.5:0.95", True)),
        scorer=score_detections,
        prediction=lambda output: output.get("detections") or [],
    ),
    try_it=TryItView(picture="boxes", field="detections"),
    sdk=SdkMethod("object_detection", {"image": "imageRef"}),
    query_options=("threshold",),
)
