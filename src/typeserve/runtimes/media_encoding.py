"""Decoded media back to files, for runtimes that hand media on to something else (a Cog
predictor takes a file path, a remote API takes the bytes): images as PNG (lossless), audio
as 16-bit WAV at the model's rate."""

from __future__ import annotations

import io

from typeserve.modeltypes.media_refs import AudioItem, ImageItem


def image_png(item: ImageItem) -> bytes:
    buffer = io.BytesIO()
    item.image.save(buffer, "PNG")
    return buffer.getvalue()


def audio_wav(item: AudioItem) -> bytes:
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, item.samples, item.sample_rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def media_file(item: object) -> tuple[bytes, str, str]:
    """The file of a decoded media item: its bytes, content type and file suffix."""
    if isinstance(item, ImageItem):
        return image_png(item), "image/png", ".png"
    if isinstance(item, AudioItem):
        return audio_wav(item), "audio/wav", ".wav"
    raise TypeError(f"{type(item).__name__} is no media item")
