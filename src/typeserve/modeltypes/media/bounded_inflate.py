"""Inflating HTTP content encodings (gzip, deflate, stacked as `gzip, gzip`) under a cap on
the decoded size, checked while inflating: a kilobyte that would inflate to a gigabyte is
refused after `max_bytes`, never allocated."""

from __future__ import annotations

import zlib

from typeserve.errors import bad_request, too_large

# zlib's wbits: 16+ reads a gzip wrapper, a negative value raw deflate, 32+ auto-detects.
WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": 32 + zlib.MAX_WBITS}
MAX_LAYERS = 4
STEP_BYTES = 64 * 1024


class UnsupportedEncoding(Exception):
    """A Content-Encoding this decoder does not inflate."""


class BoundedDecoder:
    """Feed raw (still encoded) chunks; get decoded bytes, at most `max_bytes` in all."""

    def __init__(self, content_encoding: str, max_bytes: int) -> None:
        names = [name.strip().lower() for name in content_encoding.split(",") if name.strip()]
        names = [name for name in names if name != "identity"]
        if len(names) > MAX_LAYERS:
            raise UnsupportedEncoding(repr(content_encoding[:60]))
        for name in names:
            if name not in WBITS:
                raise UnsupportedEncoding(repr(name[:30]))
        # The last encoding applied is the first to undo.
        self.layers = [zlib.decompressobj(WBITS[name]) for name in reversed(names)]
        self.max_bytes = max_bytes
        self.size = 0

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise too_large(f"The URL's content is larger than {self.max_bytes} bytes once decompressed.")
        return data

    def _inflate(self, index: int, data: bytes) -> bytes:
        """Push `data` through layers[index:], a bounded step at a time."""
        if index == len(self.layers):
            return self._count(data)
        layer = self.layers[index]
        out: list[bytes] = []
        pending = data
        try:
            while True:
                piece = layer.decompress(pending, STEP_BYTES)
                pending = layer.unconsumed_tail
                out.append(self._inflate(index + 1, piece))
                # A full step may leave output inside zlib even when no input is left.
                if layer.eof or (not pending and len(piece) < STEP_BYTES):
                    break
        except zlib.error:
            raise bad_request("url_fetch_failed", "The URL's compressed content is corrupt.") from None
        return b"".join(out)

    def feed(self, raw: bytes) -> bytes:
        return self._inflate(0, raw)

    def finish(self) -> bytes:
        out: list[bytes] = []
        for index, layer in enumerate(self.layers):
            try:
                rest = layer.flush()
            except zlib.error:
                raise bad_request("url_fetch_failed", "The URL's compressed content is corrupt.") from None
            if rest:
                out.append(self._inflate(index + 1, rest))
        return b"".join(out)
