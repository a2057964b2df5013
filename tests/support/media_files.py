"""Media files made on the spot for tests: scikit-image photos in every image format typeserve
decodes (with EXIF orientation tags), recordings re-encoded in every audio format, and a file
per media kind."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

EXIF_ORIENTATION = 0x0112
# What a camera stores for an upright scene, per EXIF orientation: the viewer undoes it.
STORED_FOR_ORIENTATION = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,  # displayed after a quarter turn clockwise
    8: Image.Transpose.ROTATE_270,  # displayed after a quarter turn counter-clockwise
}


def image_file(pixels: np.ndarray, image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, image_format, **({"quality": 92} if image_format == "JPEG" else {}))
    return buffer.getvalue()


def animated_gif(first: np.ndarray, second: np.ndarray) -> bytes:
    """A two-frame GIF; only the first frame should count."""
    frames = [Image.fromarray(first), Image.fromarray(second).resize((first.shape[1], first.shape[0]))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    return buffer.getvalue()


def jpeg_with_orientation(upright: np.ndarray, orientation: int) -> bytes:
    """The upright scene stored as a camera would with the given EXIF orientation tag."""
    stored = Image.fromarray(upright).transpose(STORED_FOR_ORIENTATION[orientation])
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


# soundfile's (format, subtype) for each container typeserve accepts.
AUDIO_FORMATS = {
    "WAV": ("WAV", "PCM_16"),
    "FLAC": ("FLAC", "PCM_16"),
    "OGG": ("OGG", "VORBIS"),
    "MP3": ("MP3", "MPEG_LAYER_III"),
}


def stereo_44k(mono_16k: np.ndarray) -> np.ndarray:
    """A 16 kHz recording as 44.1 kHz stereo (the right channel quieter), so that decoding
    must mix and resample it back."""
    from scipy.signal import resample_poly

    resampled = resample_poly(mono_16k, 441, 160).astype(np.float32)
    return np.stack([resampled, 0.5 * resampled], axis=1)


def audio_file(samples: np.ndarray, rate: int, container: str) -> bytes:
    import soundfile

    file_format, subtype = AUDIO_FORMATS[container]
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=file_format, subtype=subtype)
    return buffer.getvalue()


def media_file(media: str, folder: Path, astronaut_jpeg: bytes) -> Path:
    if media == "image":
        path = folder / "astronaut.jpg"
        path.write_bytes(astronaut_jpeg)
        return path
    import numpy as np
    import soundfile

    path = folder / "tone.wav"
    seconds = np.arange(16_000) / 16_000
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.3 * np.sin(2 * np.pi * 440 * seconds), 16_000, format="WAV")
    path.write_bytes(buffer.getvalue())
    return path
