"""image-to-text: an image in, the text in it (OCR) or a caption of it out, with the lines
found and their boxes in the image's pixels when the model locates them."""

from pydantic import Field

from typeserve.modeltypes.base import ModelType, WireModel
from typeserve.modeltypes.image_object_detection import Box
from typeserve.modeltypes.media_refs import MediaRef
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
    metrics=("cer", "wer"),
    query_options=("language", "maxLength"),
)
