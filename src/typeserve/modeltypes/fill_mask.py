"""fill-mask: a text with one mask token in, the likeliest tokens for it out. Scored by top-1
and top-5 accuracy: is the expected token the best guess, or among the five best? Tokens are
compared after trimming whitespace (sub-word tokenizers mark word starts with a space or
`Ġ`/`▁`)."""

import re
from typing import Any

from pydantic import Field, field_validator

from typeserve.modeltypes.base import ModelType, SdkMethod, TopK, TryItView, WireModel
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, first
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


def clean_token(token: str) -> str:
    return token.strip().lstrip("Ġ▁").strip()


def score_tokens(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    top1 = top5 = 0
    for output, answer in zip(outputs, expected, strict=True):
        tokens = [clean_token(p["token"]) for p in (output or {}).get("predictions", [])]
        wanted = clean_token(str(answer))
        top1 += bool(tokens[:1] == [wanted])
        top5 += wanted in tokens[:5]
    return {"top1_accuracy": top1 / len(expected), "top5_accuracy": top5 / len(expected)}


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
    scoring=Scoring(
        expected_field="token",
        metrics=(
            MetricInfo("top1_accuracy", "Top-1 accuracy", True),
            MetricInfo("top5_accuracy", "Top-5 accuracy", True),
        ),
        scorer=score_tokens,
        prediction=first("predictions", "token"),
        exact_match=True,
    ),
    try_it=TryItView(picture="bars", field="predictions", label="token", title="Predictions"),
    sdk=SdkMethod("fill_mask", {"text": "input"}),
    accepts_list=True,
)
