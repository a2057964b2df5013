"""The WebRTC voice activity detector (Google's GMM-based VAD from WebRTC, PyPI's
webrtcvad-wheels) as audio-classification.

The 16 kHz clip is converted to 16-bit PCM and cut into 30 ms frames; the detector says
speech or not for each frame, carrying its adaptive noise model across frames. `speech`
scores the fraction of frames it called speech. The aggressiveness (0 least to 3 most
eager to reject non-speech) comes from the catalog entry."""

from __future__ import annotations

from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.modeltypes.media_refs import AudioItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.helpers.speech_labels import speech_labels

SAMPLE_RATES = (8000, 16000, 32000, 48000)
FRAME_MS = 30


def pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


class WebRtcVad(LoadedModel):
    max_batch_size = 16

    def __init__(self, aggressiveness: int, sample_rate: int) -> None:
        import webrtcvad

        self.webrtcvad = webrtcvad
        self.aggressiveness = aggressiveness
        self.sample_rate = sample_rate

    def speech_fraction(self, samples: np.ndarray) -> float:
        frame = self.sample_rate * FRAME_MS // 1000
        if len(samples) < frame:
            # Shorter than one frame: pad with silence so the clip is still judged.
            samples = np.pad(samples, (0, frame - len(samples)))
        count = len(samples) // frame
        audio = pcm16(samples[: count * frame])
        # A fresh detector per clip: its noise model adapts as it runs, so sharing one
        # between clips (or threads) would let one request colour another's answer.
        detector = self.webrtcvad.Vad(self.aggressiveness)
        width = frame * 2
        voiced = sum(detector.is_speech(audio[i * width : (i + 1) * width], self.sample_rate) for i in range(count))
        return voiced / count

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        items: list[AudioItem] = batch
        return [speech_labels(self.speech_fraction(item.samples), item.topK) for item in items]


def load(spec: ModelSpec, device: str) -> WebRtcVad:
    rate = spec.sample_rate or 16000
    if rate not in SAMPLE_RATES:
        raise ValueError(f"{spec.id}: WebRTC VAD takes {SAMPLE_RATES} Hz, not {rate}")
    aggressiveness = int(spec.options.get("aggressiveness", 3))
    if aggressiveness not in range(4):
        raise ValueError(f"{spec.id}: aggressiveness is 0 to 3, not {aggressiveness}")
    return WebRtcVad(aggressiveness, rate)
