"""Baidu's PP-OCRv4 (text detection, direction classifier, recognition; the ONNX graphs shipped
inside PyPI's rapidocr-onnxruntime) as image-to-text, run with RapidOCR on onnxruntime.

The recogniser is PaddleOCR's Chinese and English model: it reads Chinese, English letters,
digits and punctuation. The detector finds boxes of text that are often pieces of a printed
line; pieces on the same row are joined into one line (ocr_lines.join_rows)."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import bad_request
from typeserve.modeltypes.image_to_text import ImageToTextOutput
from typeserve.modeltypes.media_refs import ImageItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.ocr_lines import RecognisedLine, join_rows, ocr_output

LANGUAGES = ("en", "zh")


class PpOcr(LoadedModel):
    max_batch_size = 2

    def __init__(self, threads: int) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self.engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
        self.lock = threading.Lock()

    def read(self, item: ImageItem) -> ImageToTextOutput:
        if item.language and item.language not in LANGUAGES:
            raise bad_request("unsupported_language", f"This model reads en and zh, not {item.language!r}.")
        bgr = np.ascontiguousarray(np.asarray(item.image.convert("RGB"))[:, :, ::-1])
        with self.lock:
            found, _ = self.engine(bgr)
        pieces = [
            RecognisedLine(
                text=str(text),
                score=float(score),
                xmin=min(float(p[0]) for p in box),
                ymin=min(float(p[1]) for p in box),
                xmax=max(float(p[0]) for p in box),
                ymax=max(float(p[1]) for p in box),
            )
            for box, text, score in (found or [])
        ]
        return ocr_output(join_rows(pieces), item.width, item.height)

    def predict(self, batch: list[Any]) -> list[ImageToTextOutput]:
        items: list[ImageItem] = batch
        return [self.read(item) for item in items]


def load(spec: ModelSpec, device: str) -> PpOcr:
    return PpOcr(int(spec.options.get("threads", 1)))
