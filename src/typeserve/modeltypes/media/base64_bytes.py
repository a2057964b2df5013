"""Strict base64 decoding of inline media (also accepts `data:` URLs and URL-safe alphabets)."""

from __future__ import annotations

import base64
import binascii
import re

from typeserve.errors import bad_media, too_large

_WHITESPACE = re.compile(r"\s+")


def decode_base64_media(text: str, max_bytes: int) -> bytes:
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    text = _WHITESPACE.sub("", text)
    # 4 base64 characters carry 3 bytes: refuse before decoding anything too large.
    if len(text) * 3 // 4 > max_bytes + 3:
        raise too_large(f"Media is larger than the limit of {max_bytes} bytes.")
    if "-" in text or "_" in text:
        text = text.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise bad_media("Bytes is not valid base64.") from None
    if not data:
        raise bad_media("Bytes is empty.")
    return data
