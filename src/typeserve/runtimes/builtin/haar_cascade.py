"""OpenCV Haar cascades (the XML files bundled in opencv-python-headless 4.x) as
image-object-detection. Each catalog entry names its cascade file and label in `options`.

Cascades have no probabilities; the confidence of a detection is the logistic of the
weight its final stage gave it (detectMultiScale3 with reject levels), which orders
detections sensibly and stays in [0, 1]."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.image_object_detection import Box, Detection, ObjectDetectionOutput
from typeserve.modeltypes.media_refs import ImageItem
from typeserve.runtimes.base import LoadedModel


def cascade_path(filename: str) -> Path:
    import cv2

    return Path(cv2.data.haarcascades) / filename  # type: ignore[attr-defined]


class HaarCascadeDetector(LoadedModel):
    max_batch_size = 8

    def __init__(self, cascade_file: str, label: str, scale_factor: float, min_neighbors: int, min_size: int) -> None:
        import cv2

        path = cascade_path(cascade_file)
        self.cascade = cv2.CascadeClassifier(str(path))
        if self.cascade.empty():
            raise FileNotFoundError(f"OpenCV could not load the cascade {path}")
        self.label = label
        self.scale_factor = scale_factor
        self.min_neighbors = min_neighbors
        self.min_size = (min_size, min_size)

    def detect(self, item: ImageItem) -> ObjectDetectionOutput:
        import cv2

        gray = cv2.cvtColor(np.asarray(item.image), cv2.COLOR_RGB2GRAY)
        gray = cv2.equalizeHist(gray)
        boxes, _levels, weights = self.cascade.detectMultiScale3(
            gray,
            scaleFactor=self.scale_factor,
            minNeighbors=self.min_neighbors,
            minSize=self.min_size,
            outputRejectLevels=True,
        )
        detections = []
        for (x, y, w, h), weight in zip(boxes, np.ravel(weights), strict=False):
            score = 1.0 / (1.0 + math.exp(-float(weight)))
            if item.threshold is not None and score < item.threshold:
                continue
            box = Box(
                xmin=int(x),
                ymin=int(y),
                xmax=int(min(x + w, item.width)),
                ymax=int(min(y + h, item.height)),
            )
            detections.append(Detection(label=self.label, score=score, box=box))
        detections.sort(key=lambda d: d.score, reverse=True)
        return ObjectDetectionOutput(width=item.width, height=item.height, detections=detections)

    def predict(self, batch: list[Any]) -> list[ObjectDetectionOutput]:
        return [self.detect(item) for item in batch]


def load(spec: ModelSpec, device: str) -> HaarCascadeDetector:
    options = spec.options
    return HaarCascadeDetector(
        cascade_file=options["cascade"],
        label=options.get("label", "object"),
        scale_factor=float(options.get("scale_factor", 1.1)),
        min_neighbors=int(options.get("min_neighbors", 5)),
        min_size=int(options.get("min_size", 24)),
    )
