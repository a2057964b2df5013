"""What a body without a usable Content-Type holds, told from its first bytes: JSON, an image
or audio (clients such as Hugging Face's send raw files with none)."""

from __future__ import annotations

from typing import Literal

BodyKind = Literal["json", "image", "audio"]

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
AUDIO_MAGIC = (
    b"fLaC",
    b"OggS",
    b"ID3",
    b"\xff\xfb",
    b"\xff\xf3",
    b"\xff\xf2",
    b"\xff\xf1",
    b"\xff\xf9",
    b"\x1aE\xdf\xa3",
)


def sniff_body(data: bytes) -> BodyKind | None:
    head = data[:16]
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"WEBP"):
        return "audio" if head[8:12] == b"WAVE" else "image"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    if head.startswith(AUDIO_MAGIC) or head[4:8] == b"ftyp":  # ftyp: an MP4/M4A container
        return "audio"
    if data.lstrip()[:1] in (b"{", b"[", b'"'):
        return "json"
    return None
