"""Answers that are not JSON (an audio file, a subtitle text), and the small conversions every
protocol mapping shares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BinaryAnswer:
    """A body sent as it is, with its media type (audio bytes, plain text, subtitles)."""

    content: bytes
    media_type: str


def media_ref(value: str) -> dict[str, str]:
    """A client's media given as a string: an http(s) URL to fetch, else base64 bytes."""
    return {"URL": value} if value.startswith(("http://", "https://")) else {"Bytes": value}
