"""Audio decoding with soundfile (libsndfile: WAV, FLAC, OGG, MP3) under bounds known before
any sample is read: the header's sample rate and channel count must be plausible, the
duration is checked from the header and again while reading in blocks (MP3 headers may not
know their length), channels are mixed to mono block by block, and resampling to the
model's rate uses a ratio with a small denominator so that its filter stays small."""

from __future__ import annotations

import io
from fractions import Fraction
from typing import TYPE_CHECKING

from typeserve.errors import bad_media, too_large

if TYPE_CHECKING:
    import numpy as np

# Telephone audio is 8 kHz and studio masters go to 384 kHz; a header outside these is a lie.
MIN_SAMPLE_RATE = 1_000
MAX_SAMPLE_RATE = 384_000
MAX_CHANNELS = 32
BLOCK_FRAMES = 65_536
# resample_poly's filter grows with max(up, down); a ratio like 16000/999983 needs millions of
# taps, so the ratio is rounded to one with a denominator this small (a pitch error < 0.1 %).
MAX_RATIO_TERMS = 1_000


def decode_audio(data: bytes, target_rate: int, max_bytes: int, max_seconds: float) -> np.ndarray:
    # numpy and soundfile load on the first audio request, keeping the idle server small.
    import numpy as np
    import soundfile

    if len(data) > max_bytes:
        raise too_large(f"Audio is larger than the limit of {max_bytes} bytes.")
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate, channels, frames = int(sound.samplerate), int(sound.channels), int(sound.frames)
            if not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
                raise bad_media(
                    f"The audio's sample rate is {rate} Hz; {MIN_SAMPLE_RATE} to {MAX_SAMPLE_RATE} Hz are accepted."
                )
            if not 1 <= channels <= MAX_CHANNELS:
                raise bad_media(f"The audio has {channels} channels; 1 to {MAX_CHANNELS} are accepted.")
            max_frames = int(max_seconds * rate) + 1
            if 0 < max_frames < frames and sound.format != "MP3":
                raise too_large(f"Audio lasts {frames / rate:.1f} s, more than {max_seconds:g} s.")
            mono = read_mono(sound, max_frames, max_seconds)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        # libsndfile's message names our in-memory buffer; keep only its reason.
        reason = str(exc).rsplit(":", 1)[-1].strip().rstrip(".") or "unreadable"
        raise bad_media(f"The data is not audio in a supported format (WAV, FLAC, OGG, MP3): {reason}.") from None
    if len(mono) == 0:
        raise bad_media("The audio holds no samples.")
    return resample(np.asarray(mono, dtype=np.float32), rate, target_rate)


def read_mono(sound: object, max_frames: int, max_seconds: float) -> np.ndarray:
    """Blocks of at most BLOCK_FRAMES frames, mixed to mono as they are read: memory stays at
    one block of all channels plus the mono samples, never frames x channels at once."""
    import numpy as np

    blocks: list[np.ndarray] = []
    total = 0
    while True:
        block = sound.read(frames=BLOCK_FRAMES, dtype="float32", always_2d=True)  # type: ignore[attr-defined]
        if len(block) == 0:
            break
        total += len(block)
        if total > max_frames:
            raise too_large(f"Audio lasts more than {max_seconds:g} s.")
        blocks.append(block.mean(axis=1, dtype=np.float32))
        if len(block) < BLOCK_FRAMES:
            break
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


def resample_ratio(rate: int, target_rate: int) -> tuple[int, int]:
    """(up, down) for resample_poly, both at most MAX_RATIO_TERMS-ish."""
    ratio = Fraction(target_rate, rate).limit_denominator(MAX_RATIO_TERMS)
    return ratio.numerator, ratio.denominator


def resample(samples: np.ndarray, rate: int, target_rate: int) -> np.ndarray:
    import numpy as np

    if rate == target_rate:
        return np.ascontiguousarray(samples, dtype=np.float32)
    from scipy.signal import resample_poly

    up, down = resample_ratio(rate, target_rate)
    out = resample_poly(samples, up, down)
    return np.clip(out, -1.0, 1.0).astype(np.float32)
