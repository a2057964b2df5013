"""What a model type is: one wire Input, one wire Output, an example, the metrics that compare
models of the type, and how a validated Input becomes the items a runtime predicts on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
    metrics: tuple[str, ...] = ()
    # Text types accept `"input": [...]` and answer `{"results": [...]}`.
    accepts_list: bool = False
    # Optional request fields that a raw image/audio body may carry as query parameters.
    query_options: tuple[str, ...] = field(default=())
    # Types whose answer is a file (speech): the media range a client asks for it with in
    # `Accept` (e.g. "audio/*"), and how one answer becomes (file bytes, content type).
    file_media: str | None = None
    file_answer: Callable[[dict[str, Any]], tuple[bytes, str]] | None = None

    def input_schema(self) -> dict[str, Any]:
        return self.Input.model_json_schema(by_alias=True)

    def output_schema(self) -> dict[str, Any]:
        return self.Output.model_json_schema(by_alias=True)
