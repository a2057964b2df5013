"""CMU Flite (Debian's flite: small diphone and clustergen voices of Festival, English) as
text-to-speech.

`voice` is one of the voices compiled into the program (`flite -lv`: kal, kal16, awb, rms,
slt, awb_time); `speed` is applied through Flite's duration stretch. Flite writes a WAV at
the voice's rate (8 kHz for kal, 16 kHz for the others)."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.media.speech_audio import encode_speech, read_wav
from typeserve.modeltypes.text_to_speech import TextToSpeechInput, TextToSpeechOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.speech_programs import chosen_voice, run_program, synthesize_to_wav


def installed_voices() -> dict[str, str]:
    listing = run_program(["flite", "-lv"]).decode("utf-8", "replace")
    return {name.lower(): name for name in listing.split(":", 1)[-1].split()}


class Flite(LoadedModel):
    max_batch_size = 4

    def __init__(self, voices: dict[str, str], default_voice: str) -> None:
        self.voices = voices
        self.default_voice = default_voice

    def speak(self, request: TextToSpeechInput) -> TextToSpeechOutput:
        voice = chosen_voice(request.voice, self.voices, self.default_voice)
        stretch = f"duration_stretch={1.0 / request.speed:.3f}"
        command = ["flite", "-voice", voice, "--setf", stretch, "-f", "{text}", "-o", "{wav}"]
        samples, sample_rate = read_wav(synthesize_to_wav(command, str(request.input)))
        return encode_speech(samples, sample_rate, request.format)

    def predict(self, batch: list[Any]) -> list[TextToSpeechOutput]:
        requests: list[TextToSpeechInput] = batch
        return [self.speak(request) for request in requests]


def load(spec: ModelSpec, device: str) -> Flite:
    voices = installed_voices()
    default = str(spec.options.get("default_voice", "slt"))
    if default not in voices:
        raise FileNotFoundError(f"flite has no voice {default!r}")
    return Flite(voices, default)
