"""NudeNet's YOLOv8n detector (the 320n ONNX graph bundled in PyPI's nudenet) as
image-object-detection, with NudeNet's 18 class names (FACE_FEMALE, BELLY_EXPOSED, ...).

Preprocessing is the Ultralytics letterbox the graph was trained with (its metadata names
Ultralytics 8.2): the image is scaled to fit 320x320 (the size in its metadata) keeping its
aspect ratio, centred on grey (114) padding, and given in RGB scaled to [0, 1]. (NudeNet's own
reader pads black at the bottom right and, through a double channel swap, feeds BGR; on
scikit-image's safe photos that finds nothing either, but scores faces lower.) Postprocessing
is YOLOv8's: one row per anchor with a box (centre, size) and 18 class scores; the best class
of each row is kept if it clears the threshold, overlapping boxes of the same class are merged
by non-maximum suppression (IoU 0.45), and the boxes are mapped back to the input image's
pixels and clipped to it."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.image_object_detection import Box, Detection, ObjectDetectionOutput
from typeserve.modeltypes.media_refs import ImageItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import clamp01

# NudeNet keeps detections scoring 0.25 or more (its NMS score threshold); a request's
# `threshold` replaces this default.
DEFAULT_THRESHOLD = 0.25
NMS_IOU = 0.45
PAD_VALUE = 114  # Ultralytics' letterbox grey


def bundled_model_path(filename: str) -> Path:
    import nudenet

    return Path(nudenet.__file__).with_name(filename)


@dataclass(frozen=True)
class Letterbox:
    """Where the image sits in the model's square input: model pixel = image pixel * scale + offset."""

    scale: float
    left: int
    top: int


def letterbox(image: np.ndarray, size: int) -> tuple[np.ndarray, Letterbox]:
    """A (1, 3, size, size) float32 blob and how to map its pixels back to the image's."""
    import cv2

    height, width = image.shape[:2]
    scale = size / max(height, width)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    canvas = np.full((size, size, 3), PAD_VALUE, dtype=np.uint8)
    left, top = (size - new_w) // 2, (size - new_h) // 2
    canvas[top : top + new_h, left : left + new_w] = resized
    blob = canvas.astype(np.float32).transpose(2, 0, 1)[None] / 255.0
    return np.ascontiguousarray(blob), Letterbox(scale, left, top)


def decode_detections(
    rows: np.ndarray, placement: Letterbox, width: int, height: int, names: list[str], threshold: float
) -> list[Detection]:
    """YOLOv8 rows (anchors x (4 + classes)) to detections in image pixels, best first."""
    import cv2

    class_scores = rows[:, 4:]
    class_ids = class_scores.argmax(axis=1)
    scores = class_scores[np.arange(len(rows)), class_ids]
    keep = scores >= threshold
    rows, class_ids, scores = rows[keep], class_ids[keep], scores[keep]
    if len(rows) == 0:
        return []
    centre_x = (rows[:, 0] - placement.left) / placement.scale
    centre_y = (rows[:, 1] - placement.top) / placement.scale
    box_w, box_h = rows[:, 2] / placement.scale, rows[:, 3] / placement.scale
    xmin = np.clip(centre_x - box_w / 2, 0, width)
    ymin = np.clip(centre_y - box_h / 2, 0, height)
    xmax = np.clip(centre_x + box_w / 2, 0, width)
    ymax = np.clip(centre_y + box_h / 2, 0, height)
    boxes = np.stack([xmin, ymin, xmax - xmin, ymax - ymin], axis=1)
    kept = cv2.dnn.NMSBoxesBatched(boxes.tolist(), scores.tolist(), class_ids.tolist(), threshold, NMS_IOU)
    detections = [
        Detection(
            label=names[int(class_ids[i])],
            score=clamp01(scores[i]),
            box=Box(
                xmin=round(float(xmin[i])),
                ymin=round(float(ymin[i])),
                xmax=round(float(xmax[i])),
                ymax=round(float(ymax[i])),
            ),
        )
        for i in np.ravel(kept)
    ]
    detections.sort(key=lambda d: d.score, reverse=True)
    return detections


class NudeNetDetector(LoadedModel):
    max_batch_size = 8

    def __init__(self, model_path: Path, device: str) -> None:
        import onnxruntime

        providers = ["CPUExecutionProvider"]
        if device == "cuda" and "CUDAExecutionProvider" in onnxruntime.get_available_providers():
            providers.insert(0, "CUDAExecutionProvider")
        self.session = onnxruntime.InferenceSession(str(model_path), providers=providers)
        metadata = self.session.get_modelmeta().custom_metadata_map
        # The graph carries its class names and training size (Ultralytics export metadata).
        names: dict[int, str] = ast.literal_eval(metadata["names"])
        self.names = [names[i] for i in range(len(names))]
        self.input_size = int(ast.literal_eval(metadata.get("imgsz", "[320, 320]"))[0])
        self.input_name = self.session.get_inputs()[0].name

    def detect(self, item: ImageItem) -> ObjectDetectionOutput:
        blob, placement = letterbox(np.asarray(item.image), self.input_size)
        (output,) = self.session.run(None, {self.input_name: blob})
        threshold = DEFAULT_THRESHOLD if item.threshold is None else item.threshold
        detections = decode_detections(output[0].T, placement, item.width, item.height, self.names, threshold)
        return ObjectDetectionOutput(width=item.width, height=item.height, detections=detections)

    def predict(self, batch: list[Any]) -> list[ObjectDetectionOutput]:
        return [self.detect(item) for item in batch]


def load(spec: ModelSpec, device: str) -> NudeNetDetector:
    return NudeNetDetector(bundled_model_path(spec.options.get("model_file", "320n.onnx")), device)
