"""The image-to-text answer of OCR engines: recognised lines with their boxes clamped into
the image and scores into [0, 1], and the text as the lines joined by newlines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from typeserve.modeltypes.image_object_detection import Box
from typeserve.modeltypes.image_to_text import ImageToTextOutput, TextLine
from typeserve.runtimes.scores import clamp01


@dataclass(frozen=True)
class RecognisedLine:
    text: str
    score: float
    xmin: float
    ymin: float
    xmax: float
    ymax: float

    @property
    def middle(self) -> float:
        return (self.ymin + self.ymax) / 2


def join_rows(pieces: Iterable[RecognisedLine]) -> list[RecognisedLine]:
    """Pieces of text whose vertical middles fall inside each other's height are one row, read
    left to right (detectors that find word groups split a printed line into several); the
    row's score is the pieces' mean weighted by their length."""
    rows: list[list[RecognisedLine]] = []
    for piece in sorted(pieces, key=lambda p: p.middle):
        row = rows[-1] if rows else None
        if row and any(p.ymin <= piece.middle <= p.ymax or piece.ymin <= p.middle <= piece.ymax for p in row):
            row.append(piece)
        else:
            rows.append([piece])
    joined = []
    for row in rows:
        row.sort(key=lambda p: p.xmin)
        weights = [max(1, len(p.text)) for p in row]
        joined.append(
            RecognisedLine(
                text=" ".join(p.text.strip() for p in row),
                score=sum(p.score * w for p, w in zip(row, weights, strict=True)) / sum(weights),
                xmin=min(p.xmin for p in row),
                ymin=min(p.ymin for p in row),
                xmax=max(p.xmax for p in row),
                ymax=max(p.ymax for p in row),
            )
        )
    return joined


def clamp(value: float, upper: int) -> int:
    return max(0, min(upper, round(value)))


def ocr_output(lines: Iterable[RecognisedLine], width: int, height: int) -> ImageToTextOutput:
    answer = [
        TextLine(
            text=" ".join(line.text.split()),
            score=round(clamp01(line.score), 4),
            box=Box(
                xmin=clamp(line.xmin, width),
                ymin=clamp(line.ymin, height),
                xmax=clamp(line.xmax, width),
                ymax=clamp(line.ymax, height),
            ),
        )
        for line in lines
        if line.text.strip()
    ]
    return ImageToTextOutput(text="\n".join(line.text for line in answer), lines=answer)
