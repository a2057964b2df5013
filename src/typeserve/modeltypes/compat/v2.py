"""The Open Inference Protocol v2 (KServe, Triton) for one type: its input tensors (BYTES for
text and media, one element per input), request `parameters` taken as the Input's own optional
fields, and its output tensors (the Output as JSON in a BYTES tensor, plus typed tensors where
a type has them, e.g. FP32 embeddings)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class V2Input:
    name: str  # the tensor's name, and the Input field it fills
    media: str | None = None  # "imageRef"/"audioRef": the tensor holds the raw file for that field
    many: bool = False  # the whole tensor is one list-valued field (zero-shot's `labels`)


@dataclass(frozen=True)
class V2Output:
    name: str
    datatype: str  # "BYTES", "FP32"
    shape: tuple[int, ...]  # of one input's element; -1 where it varies
    value: Callable[[dict[str, Any]], Any]  # one Output -> this tensor's element(s) for it


def json_output(output: dict[str, Any]) -> str:
    return json.dumps(output, ensure_ascii=False, separators=(",", ":"))


OUTPUT_AS_JSON = V2Output("output", "BYTES", (), json_output)


@dataclass(frozen=True)
class V2Signature:
    inputs: tuple[V2Input, ...]
    outputs: tuple[V2Output, ...] = field(default=(OUTPUT_AS_JSON,))


TEXT_SIGNATURE = V2Signature((V2Input("input"),))


def media_signature(field_name: str) -> V2Signature:
    """One BYTES tensor named after the media (`image`, `audio`) holding the file."""
    return V2Signature((V2Input(field_name.removesuffix("Ref"), media=field_name),))
