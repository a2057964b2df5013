"""fill-mask: a text with one mask token in, the likeliest tokens for it out."""

import re
from typing import Any

from pydantic import Field, field_validator

from typeserve.modeltypes.base import ModelType, TopK, WireModel
from typeserve.modeltypes.compat import Compatibility, HfTask
from typeserve.modeltypes.compat.hf import sets, text_inputs
from typeserve.modeltypes.compat.v2 import TEXT_SIGNATURE
from typeserve.modeltypes.text import TextOrList

MASK_PATTERN = re.compile(r"\[MASK\]|<mask>")


def count_masks(text: str) -> int:
    return len(MASK_PATTERN.findall(text))


class FillMaskInput(WireModel):
    input: TextOrList = Field(description="Text containing exactly one mask token, `[MASK]` or `<mask>` (or a list).")
    topK: int | None = TopK

    @field_validator("input")
    @classmethod
    def _one_mask(cls, value: str | list[str]) -> str | list[str]:
        for text in [value] if isinstance(value, str) else value:
            if count_masks(text) != 1:
                raise ValueError("must contain exactly one [MASK] or <mask> token")
        return value


class Prediction(WireModel):
    token: str = Field(description="The token that fills the mask.")
    score: float = Field(ge=0.0, le=1.0)
    sequence: str = Field(description="The input with the mask replaced by the token.")


class FillMaskOutput(WireModel):
    predictions: list[Prediction] = Field(description="Candidates sorted best first.")


def hf_predictions(output: dict[str, Any]) -> list[dict[str, Any]]:
    """HF's `[{score, token_str, sequence}]` (HF's `token`, a vocabulary id, is not known here)."""
    return [{"score": p["score"], "token_str": p["token"], "sequence": p["sequence"]} for p in output["predictions"]]


MODEL_TYPE = ModelType(
    name="fill-mask",
    title="Fill mask",
    description="Predicts the words that best fill the mask token in a text.",
    Input=FillMaskInput,
    Output=FillMaskOutput,
    media="text",
    example_input={"input": "Paris is the [MASK] of France."},
    example_output={
        "predictions": [{"token": "capital", "score": 0.91, "sequence": "Paris is the capital of France."}]
    },
    metrics=("top1_accuracy", "top5_accuracy"),
    accepts_list=True,
    compat=Compatibility(
        hf=HfTask("fill-mask", text_inputs(), lambda output, _: hf_predictions(output), {"top_k": sets("topK")}),
        v2=TEXT_SIGNATURE,
    ),
)
