"""text-to-speech on a text-to-waveform model (`VitsModel`: Meta's MMS-TTS voices, VITS
checkpoints): the tokenizer makes ids (characters, with blanks between them when the voice
was trained so), one forward pass per text gives the waveform, cut to its own length.
`speed` is the model's speaking rate (VITS scales its predicted durations by it); the
torch model is not shared between threads while it is set. SpeechT5 and Bark are not served:
SpeechT5 needs a separate vocoder and speaker embeddings, Bark a generation loop of its own."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from typeserve.errors import bad_request
from typeserve.modeltypes.media.speech_audio import encode_speech
from typeserve.modeltypes.text_to_speech import TextToSpeechOutput
from typeserve.runtimes.transformers.adapter_base import Adapter

Spoken = tuple[dict[str, np.ndarray], float]  # a text's model inputs and its speed


class TextToSpeechAdapter(Adapter[list[Spoken]]):
    max_batch_size = 4

    def setup(self) -> None:
        self.sample_rate = int(getattr(self.config, "sampling_rate", 16_000))
        self.lock = threading.Lock()

    def preprocess(self, batch: list[Any]) -> list[Spoken]:
        prepared = []
        for item in batch:
            if item.voice is not None:
                raise bad_request("unknown_voice", f"{self.spec.id} has one voice; leave `voice` out.")
            encoded = self.processor(str(item.input), return_tensors="np")
            if encoded["input_ids"].shape[-1] == 0:
                raise bad_request("nothing_to_say", "The text has no characters this voice can speak.")
            inputs = {name: encoded[name] for name in ("input_ids", "attention_mask") if name in encoded}
            prepared.append((inputs, float(item.speed)))
        return prepared

    def speak(self, inputs: dict[str, np.ndarray], speed: float) -> np.ndarray:
        model = getattr(self.backend, "model", None)
        with self.lock:
            if model is not None and hasattr(model, "speaking_rate"):
                model.speaking_rate = float(getattr(self.config, "speaking_rate", 1.0)) * speed
            elif abs(speed - 1.0) > 1e-3:
                raise bad_request("unsupported_speed", f"{self.spec.id} on this backend speaks at one speed only.")
            outputs = self.backend.forward(inputs)
        waveform = np.asarray(outputs["waveform"], dtype=np.float32).reshape(-1)
        lengths = outputs.get("sequence_lengths")
        return waveform[: int(np.ravel(lengths)[0])] if lengths is not None else waveform

    def forward(self, prepared: list[Spoken]) -> list[np.ndarray]:
        return [self.speak(inputs, speed) for inputs, speed in prepared]

    def postprocess(self, raw: list[np.ndarray], prepared: list[Spoken], batch: list[Any]) -> list[TextToSpeechOutput]:
        outputs = []
        for samples, item in zip(raw, batch, strict=True):
            peak = float(np.abs(samples).max()) if len(samples) else 0.0
            outputs.append(encode_speech(samples / peak if peak > 1.0 else samples, self.sample_rate, item.format))
        return outputs
