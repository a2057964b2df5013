"""What an input costs before a model sees it: the characters of its text fields. A model's
catalog entry may bound them (`serving.max_input_chars`: a model whose cost grows faster than
its input, like VADER or TextRank), and only inputs under INLINE_MAX_CHARS are run inline on
the event loop, so that even an inline model can never hold the loop for long."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import too_large

# VADER answers 1,000 characters in about 5 ms; longer inputs go through the model's thread.
INLINE_MAX_CHARS = 1_000


def text_chars(item: Any) -> int:
    """Characters in the item's text fields (0 for media items)."""
    fields = getattr(item, "__dict__", None)
    if not isinstance(fields, dict):
        return 0
    total = 0
    for value in fields.values():
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, list):
            total += sum(len(v) for v in value if isinstance(v, str))
    return total


def check_input_sizes(spec: ModelSpec, items: list[Any]) -> None:
    """413 when an input has more characters than the model takes."""
    limit = spec.serving.max_input_chars
    if limit is None:
        return
    for index, item in enumerate(items):
        chars = text_chars(item)
        if chars > limit:
            where = f"Input {index}" if len(items) > 1 else "The input"
            raise too_large(f"{where} has {chars} characters; {spec.id} takes at most {limit}.")


def cheap_enough_inline(items: list[Any]) -> bool:
    return all(text_chars(item) <= INLINE_MAX_CHARS for item in items)
