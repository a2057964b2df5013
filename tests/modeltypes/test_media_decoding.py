"""Media decoding under hostile input: base64, images, audio, URL address checks."""

from __future__ import annotations

import base64
import io
import ipaddress

import numpy as np
import pytest
import soundfile
from PIL import Image

from typeserve.errors import Problem
from typeserve.modeltypes.media.audio import decode_audio
from typeserve.modeltypes.media.base64_bytes import decode_base64_media
from typeserve.modeltypes.media.images import decode_image
from typeserve.modeltypes.media.url_fetch import is_public_address


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_base64_accepts_standard_urlsafe_and_data_urls() -> None:
    data = bytes(range(256))
    for text in (
        base64.b64encode(data).decode(),
        base64.urlsafe_b64encode(data).decode().rstrip("="),
        "data:image/png;base64," + base64.b64encode(data).decode(),
    ):
        assert decode_base64_media(text, 10_000) == data


def test_base64_garbage_is_400_and_oversize_is_413() -> None:
    with pytest.raises(Problem) as bad:
        decode_base64_media("not base64 at all!!", 10_000)
    assert bad.value.status == 400
    with pytest.raises(Problem) as big:
        decode_base64_media("A" * 2000, 100)
    assert big.value.status == 413


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = png(12_000, 12_000)  # a few hundred KB of PNG, 144 megapixels decoded
    assert len(bomb) < 2_000_000
    with pytest.raises(Problem) as refused:
        decode_image(bomb, 20_000_000, 40_000_000)
    assert refused.value.status == 413


def test_truncated_and_non_images_are_400() -> None:
    whole = png(64, 64)
    for data in (whole[: len(whole) // 2], b"GIF89a garbage", b"plain text"):
        with pytest.raises(Problem) as bad:
            decode_image(data, 1_000_000, 1_000_000)
        assert bad.value.status == 400


def test_exif_orientation_is_applied() -> None:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise when displayed
    Image.new("RGB", (40, 20), "red").save(buffer, "JPEG", exif=exif)
    image = decode_image(buffer.getvalue(), 1_000_000, 1_000_000)
    assert image.size == (20, 40)


def test_audio_is_mixed_to_mono_and_resampled() -> None:
    rate = 44_100
    t = np.arange(rate) / rate
    stereo = np.stack([np.sin(2 * np.pi * 440 * t), np.zeros_like(t)], axis=1).astype(np.float32)
    buffer = io.BytesIO()
    soundfile.write(buffer, stereo, rate, format="WAV")
    samples = decode_audio(buffer.getvalue(), 16_000, 10_000_000, 60)
    assert samples.ndim == 1 and samples.dtype == np.float32
    assert abs(len(samples) - 16_000) <= 2
    assert 0.4 < float(np.abs(samples).max()) <= 0.55  # mean of a full-scale and a silent channel


def test_audio_too_long_and_not_audio() -> None:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(16_000 * 3, dtype=np.float32), 16_000, format="WAV")
    with pytest.raises(Problem) as long:
        decode_audio(buffer.getvalue(), 16_000, 10_000_000, 2.0)
    assert long.value.status == 413
    with pytest.raises(Problem) as bad:
        decode_audio(b"RIFF....WAVEjunk", 16_000, 10_000_000, 60)
    assert bad.value.status == 400


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "fc00::1",
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


def test_public_addresses_are_public() -> None:
    assert is_public_address(ipaddress.ip_address("93.184.216.34"))
    assert is_public_address(ipaddress.ip_address("2606:4700::1111"))
