"""Whisper's timestamp tokens become timed segments, offset by the 30-second window they were
generated in (a random-weight model rarely emits timestamps, so the token ids are written
here and decoded by the tiny checkpoint's real tokenizer and adapter)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.tiny_models import tiny_model
from typeserve.runtimes import get_runtime
from typeserve.runtimes.transformers.hub import Source
from typeserve.runtimes.transformers.registration import register


@pytest.fixture(scope="module")
def whisper() -> Any:
    spec = register(Source(tiny_model("whisper"))).spec
    model = get_runtime("transformers").load(spec, "cpu")
    yield model
    model.close()


def test_timestamp_tokens_become_segments(whisper: Any) -> None:
    tokenizer = whisper.tokenizer

    def stamp(seconds: float) -> int:
        return int(tokenizer.convert_tokens_to_ids(f"<|{seconds:.2f}|>"))

    def words(text: str) -> list[int]:
        return list(tokenizer.encode(text, add_special_tokens=False))

    prompt = tokenizer.convert_tokens_to_ids(["<|startoftranscript|>", "<|en|>", "<|transcribe|>"])
    ids = [*prompt, stamp(0.0), *words(" the house is green"), stamp(0.5)]
    ids += [stamp(0.5), *words(" go forward"), stamp(1.0), tokenizer.convert_tokens_to_ids("<|endoftext|>")]

    text, segments = whisper.window_segments(ids, offset=30.0)

    assert text == "the house is green go forward"
    assert [(s.start, s.end, s.text) for s in segments] == [
        (30.0, 30.5, "the house is green"),
        (30.5, 31.0, "go forward"),
    ]


def test_no_timestamps_no_segments(whisper: Any) -> None:
    tokenizer = whisper.tokenizer
    ids = tokenizer.convert_tokens_to_ids(["<|startoftranscript|>", "<|en|>", "<|transcribe|>"])
    ids += list(tokenizer.encode(" stop at the red door", add_special_tokens=False))
    text, segments = whisper.window_segments(ids, offset=0.0)
    assert text == "stop at the red door"
    assert segments == []
