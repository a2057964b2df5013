"""Audio decoding with soundfile (libsndfile: WAV, FLAC, OGG, MP3): the duration is checked
from the header before samples are read, channels are mixed to mono and the samples
resampled to the model's rate."""

from __future__ import annotations

import io
from math import gcd
from typing import TYPE_CHECKING

from typeserve.errors import bad_media, too_large

if TYPE_CHECKING:
    import numpy as np


def decode_audio(data: bytes, target_rate: int, max_bytes: int, max_seconds: float) -> np.ndarray:
    # numpy and soundfile load on the first audio request, keeping the idle server small.
    import numpy as np
    import soundfile

    if len(data) > max_bytes:
        raise too_large(f"Audio is larger than the limit of {max_bytes} bytes.")
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate = int(sound.samplerate)
            frames = int(sound.frames)
            if rate <= 0:
                raise bad_media("The audio has no sample rate.")
            # MP3 headers may not know their length (frames is then huge or 0); the read
            # below is bounded by the duration limit either way.
            max_frames = int(max_seconds * rate) + 1
            if frames > 0 and frames > max_frames and sound.format != "MP3":
                raise too_large(f"Audio lasts {frames / rate:.1f} s, more than {max_seconds:g} s.")
            samples = sound.read(frames=max_frames + 1, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as exc:
        raise bad_media(f"The data is not audio in a supported format: {exc}.") from None
    if len(samples) > max_frames:
        raise too_large(f"Audio lasts more than {max_seconds:g} s.")
    if len(samples) == 0:
        raise bad_media("The audio holds no samples.")
    mono = samples.mean(axis=1, dtype=np.float32)
    return resample(mono, rate, target_rate)


def resample(samples: np.ndarray, rate: int, target_rate: int) -> np.ndarray:
    import numpy as np

    if rate == target_rate:
        return np.ascontiguousarray(samples, dtype=np.float32)
    from scipy.signal import resample_poly

    divisor = gcd(rate, target_rate)
    out = resample_poly(samples, target_rate // divisor, rate // divisor)
    return np.clip(out, -1.0, 1.0).astype(np.float32)
