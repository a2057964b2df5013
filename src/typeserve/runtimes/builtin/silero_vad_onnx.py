"""Silero VAD v6 (the ONNX graph bundled in PyPI's silero-vad) as audio-classification.

The graph is run directly with onnxruntime on 16 kHz mono audio, as silero-vad's own ONNX
wrapper does it: 512-sample frames (32 ms), each prefixed with the previous frame's last 64
samples, the recurrent state carried from frame to frame. Each frame gets a speech
probability; `speech` scores their mean (the probability mass of speech over the clip).
The package's Python API is not imported: it pulls in torch, and its file reader torchaudio."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.modeltypes.media_refs import AudioItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.helpers.speech_labels import speech_labels

SAMPLE_RATE = 16_000
FRAME = 512
CONTEXT = 64
STATE_SHAPE = (2, 1, 128)


def bundled_model_path(filename: str) -> Path:
    """The graph inside the installed package, found without importing it (that imports torch)."""
    found = importlib.util.find_spec("silero_vad")
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError("the silero-vad package is not installed")
    return Path(next(iter(found.submodule_search_locations))) / "data" / filename


class SileroVad(LoadedModel):
    max_batch_size = 8

    def __init__(self, model_path: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # Frames are tiny: one thread per call is fastest and leaves cores to other requests.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def frame_probabilities(self, samples: np.ndarray) -> np.ndarray:
        """One speech probability per 32 ms frame; the last frame is zero-padded."""
        count = max(1, -(-len(samples) // FRAME))
        padded = np.zeros(count * FRAME + CONTEXT, dtype=np.float32)
        padded[CONTEXT : CONTEXT + len(samples)] = samples
        state = np.zeros(STATE_SHAPE, dtype=np.float32)
        rate = np.array(SAMPLE_RATE, dtype=np.int64)
        probabilities = np.empty(count, dtype=np.float32)
        for i in range(count):
            window = padded[i * FRAME : (i + 1) * FRAME + CONTEXT][None]
            output, state = self.session.run(None, {"input": window, "state": state, "sr": rate})
            probabilities[i] = float(np.ravel(output)[0])
        return probabilities

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        items: list[AudioItem] = batch
        return [speech_labels(float(self.frame_probabilities(i.samples).mean()), i.topK) for i in items]


def load(spec: ModelSpec, device: str) -> SileroVad:
    if spec.sample_rate not in (None, SAMPLE_RATE):
        raise ValueError(f"{spec.id}: this Silero graph runs at {SAMPLE_RATE} Hz, not {spec.sample_rate}")
    return SileroVad(bundled_model_path(spec.options.get("model_file", "silero_vad.onnx")))
