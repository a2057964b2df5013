"""The pure steps around the default image and audio models: NudeNet's letterbox and its way
back to image pixels, the ImageNet label names, and the speech / no-speech distribution."""

from __future__ import annotations

import numpy as np
import pytest

from typeserve.runtimes.builtin.efficientnet_lite import imagenet_names
from typeserve.runtimes.builtin.helpers.speech_labels import speech_labels
from typeserve.runtimes.builtin.nudenet_detector import PAD_VALUE, decode_detections, letterbox

NAMES = ["FACE", "FEET"]


def yolo_row(cx: float, cy: float, w: float, h: float, scores: list[float]) -> list[float]:
    return [cx, cy, w, h, *scores]


def test_letterbox_centres_a_wide_image_on_grey() -> None:
    image = np.full((200, 400, 3), 7, dtype=np.uint8)
    blob, placement = letterbox(image, 320)
    assert blob.shape == (1, 3, 320, 320)
    assert (placement.scale, placement.left, placement.top) == (0.8, 0, 80)
    assert blob[0, :, 0, 0] == pytest.approx(PAD_VALUE / 255)  # top band is padding
    assert blob[0, :, 160, 160] == pytest.approx(7 / 255)  # centre is the image


def test_boxes_come_back_in_image_pixels_best_first_and_clipped() -> None:
    _, placement = letterbox(np.zeros((200, 400, 3), dtype=np.uint8), 320)
    rows = np.array(
        [
            # a face at image (100, 50)-(200, 150): model centre (120, 160), size 80x80
            yolo_row(120, 160, 80, 80, [0.9, 0.1]),
            # the same face again, a little lower scoring: merged by NMS
            yolo_row(122, 161, 80, 80, [0.8, 0.1]),
            # feet running off the right edge of the image
            yolo_row(312, 200, 40, 40, [0.1, 0.6]),
            # below the threshold
            yolo_row(50, 150, 10, 10, [0.2, 0.1]),
        ],
        dtype=np.float32,
    )
    detections = decode_detections(rows, placement, 400, 200, NAMES, 0.25)
    assert [(d.label, round(d.score, 2)) for d in detections] == [("FACE", 0.9), ("FEET", 0.6)]
    face, feet = (d.box for d in detections)
    assert (face.xmin, face.ymin, face.xmax, face.ymax) == (100, 50, 200, 150)
    assert (feet.xmin, feet.ymin, feet.xmax, feet.ymax) == (365, 125, 400, 175)


def test_imagenet_names_are_readable_and_unique() -> None:
    names = imagenet_names()
    assert len(names) == len(set(names)) == 1000
    assert names[281] == "tabby cat" and names[967] == "espresso"


@pytest.mark.parametrize(("share", "top"), [(0.9, "speech"), (0.1, "no-speech"), (1.2, "speech")])
def test_speech_labels_are_a_distribution(share: float, top: str) -> None:
    labels = speech_labels(share, None).labels
    assert labels[0].label == top
    assert sum(label.score for label in labels) == pytest.approx(1.0)
    assert all(0.0 <= label.score <= 1.0 for label in labels)
    assert [label.label for label in speech_labels(share, 1).labels] == [top]
