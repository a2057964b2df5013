"""image-to-text: an image in, the text in it (OCR) or a caption of it out, with the lines
found and their boxes in the image's pixels when the model locates them.

Scored by character and word error rates of the whole text against the expected one, with
jiwer, over the dataset: whitespace (line breaks included) is collapsed on both sides, casing
and punctuation count, since reading them right is the job of OCR."""

from typing import Any

from pydantic import Field

from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.image_object_detection import Box
from typeserve.modeltypes.media_refs import MediaRef
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, value_of
from typeserve.modeltypes.translation import LanguageCode


class ImageToTextInput(WireModel):
    imageRef: MediaRef = Field(description="The image: base64 `Bytes` or a `URL`.")
    language: LanguageCode | None = Field(default=None, description="OCR: ISO 639-1 code of the text in the image.")
    maxLength: int | None = Field(default=None, ge=1, le=4096, description="Captioning: at most this many tokens.")


class TextLine(WireModel):
    text: str
    score: float = Field(ge=0.0, le=1.0, description="Confidence in [0, 1].")
    box: Box = Field(description="Pixel coordinates in the input image.")


class ImageToTextOutput(WireModel):
    text: str = Field(description="All the text, lines joined by newlines (or the caption).")
    lines: list[TextLine] | None = Field(default=None, description="The lines in reading order, when located.")


def one_line(text: str) -> str:
    return " ".join(text.split())


def score_texts(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    pairs = [
        (one_line(str(reference)), one_line((output or {}).get("text") or ""))
        for output, reference in zip(outputs, expected, strict=True)
    ]
    pairs = [(reference, hypothesis) for reference, hypothesis in pairs if reference]
    if not pairs:
        return {"cer": None, "wer": None}
    import jiwer  # imported on use: the server imports this module at start

    references, hypotheses = [r for r, _ in pairs], [h for _, h in pairs]
    return {"cer": float(jiwer.cer(references, hypotheses)), "wer": float(jiwer.wer(references, hypotheses))}


MODEL_TYPE = ModelType(
    name="image-to-text",
    title="Image to text",
    description="Reads the text in an image (OCR) or describes the image in words (captioning).",
    Input=ImageToTextInput,
    Output=ImageToTextOutput,
    media="image",
    example_input={"imageRef": {"URL": "https://example.com/page.png"}},
    example_output={
        "text": "Region-based segmentation",
        "lines": [
            {
                "text": "Region-based segmentation",
                "score": 0.96,
                "box": {"xmin": 4, "ymin": 6, "xmax": 279, "ymax": 34},
            }
        ],
    },
    scoring=Scoring(
        expected_field="text",
        metrics=(MetricInfo("cer", "Character error rate", False), MetricInfo("wer", "Word error rate", False)),
        scorer=score_texts,
        prediction=value_of("text"),
    ),
    try_it=TryItView(picture="lines", field="lines", empty="(no text found)"),
    sdk=SdkMethod("image_to_text", {"image": "imageRef"}),
    query_options=("language", "maxLength"),
)
