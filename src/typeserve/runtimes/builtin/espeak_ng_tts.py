"""eSpeak NG (Debian's espeak-ng: formant synthesis with rules for about 130 languages and
accents) as text-to-speech.

`voice` is one of eSpeak NG's language voices (`en-us`, `de`, `fr`, ... as
`espeak-ng --voices` lists them); `speed` scales its default rate of 175 words a minute.
The program writes a 22,050 Hz WAV."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.media.speech_audio import encode_speech, read_wav
from typeserve.modeltypes.text_to_speech import TextToSpeechInput, TextToSpeechOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.speech_programs import chosen_voice, run_program, synthesize_to_wav

NORMAL_WORDS_PER_MINUTE = 175


def installed_voices() -> dict[str, str]:
    """Language voices by lower-case name (`espeak-ng --voices`: the second column)."""
    listing = run_program(["espeak-ng", "--voices"]).decode("utf-8", "replace").splitlines()[1:]
    voices = {}
    for line in listing:
        columns = line.split()
        if len(columns) >= 2:
            voices[columns[1].lower()] = columns[1]
    return voices


class EspeakNg(LoadedModel):
    max_batch_size = 4

    def __init__(self, voices: dict[str, str], default_voice: str) -> None:
        self.voices = voices
        self.default_voice = default_voice

    def speak(self, request: TextToSpeechInput) -> TextToSpeechOutput:
        voice = chosen_voice(request.voice, self.voices, self.default_voice)
        rate = round(NORMAL_WORDS_PER_MINUTE * request.speed)
        command = ["espeak-ng", "-b", "1", "-v", voice, "-s", str(rate), "-f", "{text}", "-w", "{wav}"]
        samples, sample_rate = read_wav(synthesize_to_wav(command, str(request.input)))
        return encode_speech(samples, sample_rate, request.format)

    def predict(self, batch: list[Any]) -> list[TextToSpeechOutput]:
        requests: list[TextToSpeechInput] = batch
        return [self.speak(request) for request in requests]


def load(spec: ModelSpec, device: str) -> EspeakNg:
    voices = installed_voices()
    default = str(spec.options.get("default_voice", "en-us"))
    if default not in voices:
        raise FileNotFoundError(f"espeak-ng has no voice {default!r}")
    return EspeakNg(voices, default)
