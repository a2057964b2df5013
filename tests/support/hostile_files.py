"""Files that lie: WAV headers with impossible rates or channel counts, and zips with a bad
CRC, a member whose declared size lies, an unknown compression method or the encrypted flag."""

from __future__ import annotations

import io
import struct
import zipfile

import numpy as np

from tests.support.media_files import audio_file

ROWS = b'{"input": "a fine row"}\n'


def wav_with_header(rate: int | None = None, channels: int | None = None, seconds: float = 1.0) -> bytes:
    """A real 16 kHz mono WAV whose fmt chunk is then patched to claim `rate` / `channels`."""
    data = bytearray(audio_file(np.zeros(int(16_000 * seconds), dtype=np.float32), 16_000, "WAV"))
    fmt = data.find(b"fmt ")
    if channels is not None:
        struct.pack_into("<H", data, fmt + 10, channels)
    if rate is not None:
        struct.pack_into("<I", data, fmt + 12, rate)
    return bytes(data)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return bytearray(buffer.getvalue())


# Zip record signatures, and where each record keeps its name's length and its name.
LOCAL_HEADER = (b"PK\x03\x04", 26, 30)
CENTRAL_ENTRY = (b"PK\x01\x02", 28, 46)


def _patch_records(
    data: bytearray, record: tuple[bytes, int, int], name: bytes, offset: int, fmt: str, value: int
) -> None:
    signature, length_at, name_at = record
    position = 0
    while (position := data.find(signature, position)) >= 0:
        name_length = struct.unpack_from("<H", data, position + length_at)[0]
        if data[position + name_at : position + name_at + name_length] == name:
            struct.pack_into(fmt, data, position + offset, value)
        position += 4


def _patch_headers(data: bytearray, name: bytes, local_offset: int, central_offset: int, fmt: str, value: int) -> None:
    """Patch a field of `name`'s local header and its central-directory entry."""
    _patch_records(data, LOCAL_HEADER, name, local_offset, fmt, value)
    _patch_records(data, CENTRAL_ENTRY, name, central_offset, fmt, value)


def zip_with_bad_crc() -> bytes:
    data = _zip({"rows.jsonl": ROWS, "a.bin": b"payload " * 64})
    _patch_headers(data, b"a.bin", 14, 16, "<I", 0xDEADBEEF)
    return bytes(data)


def zip_with_lying_size(real_mb: int = 200) -> bytes:
    """A member that declares 100 bytes and inflates to `real_mb` MiB."""
    data = _zip({"rows.jsonl": ROWS, "big.bin": b"\0" * (real_mb << 20)})
    _patch_headers(data, b"big.bin", 22, 24, "<I", 100)
    return bytes(data)


def zip_with_method(method: int = 99) -> bytes:
    data = _zip({"rows.jsonl": ROWS})
    _patch_headers(data, b"rows.jsonl", 8, 10, "<H", method)
    return bytes(data)


def zip_marked_encrypted() -> bytes:
    data = _zip({"rows.jsonl": ROWS})
    _patch_headers(data, b"rows.jsonl", 6, 8, "<H", 0x1)
    return bytes(data)
