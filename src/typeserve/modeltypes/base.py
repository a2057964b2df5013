"""What a model type is: everything true of it whatever model serves it. One wire Input, one
wire Output, an example, how its outputs are scored against a dataset's answers, what the
console's Try it form draws, and what the SDK method is called. `prepare.py` turns a validated
Input into the items a runtime predicts on, from the type's media."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from typeserve.modeltypes.scoring import Scoring

MediaKind = Literal["text", "image", "audio"]


class WireModel(BaseModel):
    """Base of every request and response body: camelCase keys exactly as on the wire,
    unknown request fields refused so that a typo is a 422 naming it, not a silent default."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


TopK = Field(default=None, ge=1, le=1000, description="Return at most this many results.")


class Label(WireModel):
    label: str = Field(description="Class label.")
    score: float = Field(ge=0.0, le=1.0, description="Confidence in [0, 1].")


class LabelsOutput(WireModel):
    labels: list[Label] = Field(description="Labels sorted best first.")


@dataclass(frozen=True)
class TryItView:
    """How the console's Try it form draws an answer (rendered as JSON for try_it.js):
    `bars` of the scored entries of the list `field`, captioned by their `label` key; `boxes`
    over the image for the detections in `field`; `lines` of text in `field` boxed on the image
    above the answer's `text`; an `audio` player for the media reference in `field`; or the
    text in `field`, as a `transcript` or plain `text`, with a `hint` line whose `{name}` parts
    are filled from the answer."""

    picture: Literal["bars", "boxes", "transcript", "text", "lines", "audio"]
    field: str
    label: str | None = None
    title: str | None = None
    hint: str | None = None
    empty: str | None = None

    def as_json(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class SdkMethod:
    """The typed SDK method of a type: its name and its positional arguments, Python name ->
    wire field (a media field takes a path or bytes, or `url=`). Every other Input field
    becomes a keyword option in snake_case (`topK` -> `top_k`)."""

    name: str
    arguments: dict[str, str]


@dataclass(frozen=True)
class ModelType:
    """A model type: every model of it is called with `Input` and answers `Output`."""

    name: str
    title: str
    description: str
    Input: type[WireModel]
    Output: type[WireModel]
    media: MediaKind
    example_input: dict[str, Any]
    example_output: dict[str, Any]
    scoring: Scoring
    try_it: TryItView
    sdk: SdkMethod
    # Text types accept `"input": [...]` and answer `{"results": [...]}`.
    accepts_list: bool = False
    # Optional request fields that a raw image/audio body may carry as query parameters.
    query_options: tuple[str, ...] = field(default=())
    # Types whose answer is a file (speech): the media range a client asks for it with in
    # `Accept` (e.g. "audio/*"), and how one answer becomes (file bytes, content type).
    file_media: str | None = None
    file_answer: Callable[[dict[str, Any]], tuple[bytes, str]] | None = None

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(info.name for info in self.scoring.metrics)

    def input_schema(self) -> dict[str, Any]:
        return self.Input.model_json_schema(by_alias=True)

    def output_schema(self) -> dict[str, Any]:
        return self.Output.model_json_schema(by_alias=True)

    def split_row(self, row: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        """A dataset row as (the Input payload, the expected answer or None)."""
        expected = self.scoring.expected_field
        payload = {k: v for k, v in row.items() if k not in (expected, ROW_ID_FIELD)}
        return payload, row.get(expected)

    def prediction(self, output: dict[str, Any] | None) -> Any:
        """The part of an output compared with the expected answer."""
        return None if output is None else self.scoring.prediction(output)

    def score(self, outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
        if not expected:
            return {info.name: None for info in self.scoring.metrics}
        return self.scoring.scorer(outputs, expected)


# A dataset row's field that is neither input nor expected answer.
ROW_ID_FIELD = "id"
