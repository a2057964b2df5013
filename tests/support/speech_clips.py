"""A spoken clip with a known transcript: pocketsphinx's test recording "go forward ten meters"
(16 kHz, 16-bit raw PCM shipped by Debian's pocketsphinx data), as a WAV file."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import soundfile

GO_FORWARD = Path("/usr/share/pocketsphinx/test/data/goforward.raw")
GO_FORWARD_TEXT = "go forward ten meters"


def go_forward_wav() -> bytes:
    samples = np.frombuffer(GO_FORWARD.read_bytes(), dtype="<i2")
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, 16_000, format="WAV", subtype="PCM_16")
    return buffer.getvalue()
