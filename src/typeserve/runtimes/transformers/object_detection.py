"""image-object-detection on a DETR-family head (DETR, YOLOS, Conditional/Deformable DETR,
RT-DETR...): `logits` per query and `pred_boxes` as normalized (cx, cy, w, h). Boxes are
scaled to the pixels of the input image and clipped to it, as transformers' own
post-processing does, but in numpy so that the ONNX runtime shares it."""

from __future__ import annotations

from typing import Any

import numpy as np

from typeserve.modeltypes.image_object_detection import Box, Detection, ObjectDetectionOutput
from typeserve.runtimes.scores import clamp01, softmax
from typeserve.runtimes.transformers.adapter_base import Adapter, label_name, sigmoid

DEFAULT_THRESHOLD = 0.5


def query_scores(logits: np.ndarray, num_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """Best label and its score per query. Heads with an extra "no object" class (DETR,
    YOLOS) use a softmax and drop that class; the others score each class by a sigmoid."""
    with_no_object = logits.shape[-1] == num_labels + 1
    probabilities = softmax(logits)[..., :-1] if with_no_object else sigmoid(logits)
    return probabilities.argmax(-1), probabilities.max(-1)


def to_pixels(box: np.ndarray, width: int, height: int) -> Box:
    cx, cy, w, h = (float(v) for v in box)
    xmin, xmax = (cx - w / 2) * width, (cx + w / 2) * width
    ymin, ymax = (cy - h / 2) * height, (cy + h / 2) * height
    xmin, xmax = sorted((min(max(xmin, 0.0), width), min(max(xmax, 0.0), width)))
    ymin, ymax = sorted((min(max(ymin, 0.0), height), min(max(ymax, 0.0), height)))
    return Box(xmin=round(xmin), ymin=round(ymin), xmax=round(xmax), ymax=round(ymax))


class ObjectDetectionAdapter(Adapter[dict[str, np.ndarray]]):
    max_batch_size = 8

    def preprocess(self, batch: list[Any]) -> dict[str, np.ndarray]:
        encoded = self.processor(images=[item.image for item in batch], return_tensors="np")
        prepared = {"pixel_values": np.asarray(encoded["pixel_values"], dtype=np.float32)}
        if "pixel_mask" in encoded:
            prepared["pixel_mask"] = np.asarray(encoded["pixel_mask"], dtype=np.int64)
        return prepared

    def forward(self, prepared: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        outputs = self.backend.forward(prepared)
        return outputs["logits"], outputs["pred_boxes"]

    def postprocess(
        self, raw: tuple[np.ndarray, np.ndarray], prepared: dict[str, np.ndarray], batch: list[Any]
    ) -> list[ObjectDetectionOutput]:
        logits, boxes = raw
        labels, scores = query_scores(logits.astype(np.float64), int(self.config.num_labels))
        outputs = []
        for image_labels, image_scores, image_boxes, item in zip(labels, scores, boxes, batch, strict=True):
            threshold = DEFAULT_THRESHOLD if item.threshold is None else item.threshold
            detections = [
                Detection(
                    label=label_name(self.config, int(label)),
                    score=clamp01(float(score)),
                    box=to_pixels(box, item.width, item.height),
                )
                for label, score, box in zip(image_labels, image_scores, image_boxes, strict=True)
                if score >= threshold
            ]
            detections.sort(key=lambda d: d.score, reverse=True)
            outputs.append(ObjectDetectionOutput(width=item.width, height=item.height, detections=detections))
        return outputs
