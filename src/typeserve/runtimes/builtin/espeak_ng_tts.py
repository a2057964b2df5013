"""eSpeak NG (Debian's espeak-ng: formant synthesis with rules for about 130 languages and
accents) as text-to-speech.

`voice` is one of eSpeak NG's language voices (`en-us`, `de`, `fr`, ... as
`espeak-ng --voices` lists them); `speed` scales its default rate of 175 words a minute.
The program writes a 22,050 Hz WAV."""

from __future__ import annotations

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.builtin.speech_programs import SpeechProgram, run_program

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


class EspeakNg(SpeechProgram):
    program = "espeak-ng"

    def command(self, voice: str, speed: float) -> list[str]:
        rate = round(NORMAL_WORDS_PER_MINUTE * speed)
        return ["espeak-ng", "-b", "1", "-v", voice, "-s", str(rate), "-f", "{text}", "-w", "{wav}"]


def load(spec: ModelSpec, device: str) -> EspeakNg:
    return EspeakNg(installed_voices(), str(spec.options.get("default_voice", "en-us")))
