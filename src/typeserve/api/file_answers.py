"""Answers that are files: a type whose answer is media (speech) says which media range asks
for the file itself (`file_media`, e.g. "audio/*") and how an answer becomes one
(`file_answer`). The client chooses with `Accept`: the preferred range (highest q, then
first listed) among JSON, `*/*` and the type's own decides; JSON stays the default."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from typeserve.errors import not_acceptable
from typeserve.modeltypes.base import ModelType

JSON_RANGES = ("application/json", "application/*", "*/*")


def media_ranges(accept: str) -> list[str]:
    """The ranges of an Accept header, best first; ranges with q=0 are refused ones, dropped."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if pieces[0] and quality > 0:
            ranked.append((-quality, position, pieces[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def wants_file(model_type: ModelType, accept: str | None) -> bool:
    if model_type.file_media is None or not accept:
        return False
    major = model_type.file_media.split("/", 1)[0]
    for media in media_ranges(accept):
        if media.split("/", 1)[0] == major:
            return True
        if media in JSON_RANGES:
            return False
    return False


def refuse_file_for_list(is_list: bool) -> None:
    if is_list:
        raise not_acceptable("A list of inputs is answered as JSON only; send one input to get the file itself.")


def file_response(model_type: ModelType, body: Any, headers: dict[str, str]) -> Response:
    assert model_type.file_answer is not None
    data, content_type = model_type.file_answer(body)
    return Response(content=data, media_type=content_type, headers=headers)
