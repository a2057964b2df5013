"""Synthesized speech to the text-to-speech answer: samples encoded as WAV, FLAC, OGG Vorbis
or MP3 with libsndfile, the output duration bounded."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from typeserve.errors import too_large
from typeserve.modeltypes.media_refs import MediaRef
from typeserve.modeltypes.text_to_speech import CONTENT_TYPES, MAX_SPEECH_SECONDS, TextToSpeechOutput

if TYPE_CHECKING:
    import numpy as np

# libsndfile's container and codec for each answer format.
SOUNDFILE_FORMATS: dict[str, tuple[str, str]] = {
    "wav": ("WAV", "PCM_16"),
    "flac": ("FLAC", "PCM_16"),
    "ogg": ("OGG", "VORBIS"),
    "mp3": ("MP3", "MPEG_LAYER_III"),
}


def encode_speech(samples: np.ndarray, sample_rate: int, audio_format: str) -> TextToSpeechOutput:
    """Mono float samples in [-1, 1] to the answer, refusing speech over the duration bound."""
    import numpy as np
    import soundfile

    duration = len(samples) / float(sample_rate)
    if duration > MAX_SPEECH_SECONDS:
        raise too_large(f"The speech would last {duration:.0f} s, more than {MAX_SPEECH_SECONDS:g} s; send less text.")
    container, subtype = SOUNDFILE_FORMATS[audio_format]
    buffer = io.BytesIO()
    pcm = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    soundfile.write(buffer, pcm, sample_rate, format=container, subtype=subtype)
    return TextToSpeechOutput(
        audio=MediaRef(Bytes=base64.b64encode(buffer.getvalue()).decode("ascii")),
        contentType=CONTENT_TYPES[audio_format],
        sampleRate=sample_rate,
        durationS=round(duration, 3),
    )


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """A WAV file an engine wrote, as mono float samples and its rate."""
    import soundfile

    samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return samples.mean(axis=1), int(rate)
