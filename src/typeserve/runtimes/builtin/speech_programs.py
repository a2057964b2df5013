"""Running the speech synthesis programs of Debian (espeak-ng, flite) as child processes:
the text goes through a file or standard input, never as a command-line argument that could
read as an option, and each run has a timeout."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from typeserve.errors import bad_request
from typeserve.modeltypes.media.speech_audio import encode_speech, read_wav
from typeserve.modeltypes.text_to_speech import TextToSpeechInput, TextToSpeechOutput
from typeserve.runtimes.base import LoadedModel

TIMEOUT_S = 60.0


def run_program(command: list[str], stdin: bytes | None = None, timeout_s: float = TIMEOUT_S) -> bytes:
    done = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout_s, check=True)
    return done.stdout


def synthesize_to_wav(command: list[str], text: str, timeout_s: float = TIMEOUT_S) -> bytes:
    """Run `command` with `{text}` and `{wav}` replaced by a text file holding `text` and the
    WAV file the program writes; answer that file's bytes."""
    with tempfile.TemporaryDirectory(prefix="typeserve-tts-") as folder:
        text_file, wav_file = Path(folder) / "input.txt", Path(folder) / "speech.wav"
        text_file.write_text(text, encoding="utf-8")
        filled = [part.replace("{text}", str(text_file)).replace("{wav}", str(wav_file)) for part in command]
        run_program(filled, timeout_s=timeout_s)
        return wav_file.read_bytes()


def chosen_voice(voice: str | None, voices: dict[str, str], default: str) -> str:
    """The engine's name of the voice asked for (case-insensitive), or the default one."""
    if voice is None:
        return voices[default]
    found = voices.get(voice.lower())
    if found is None:
        listed = ", ".join(sorted(voices)[:40])
        raise bad_request("unknown_voice", f"No voice {voice!r}; this model has: {listed}.")
    return found


class SpeechProgram(LoadedModel):
    """A synthesis program run once per text; a subclass says how to call it with a voice."""

    max_batch_size = 4
    program = ""

    def __init__(self, voices: dict[str, str], default_voice: str) -> None:
        if default_voice not in voices:
            raise FileNotFoundError(f"{self.program} has no voice {default_voice!r}")
        self.voices = voices
        self.default_voice = default_voice

    def command(self, voice: str, speed: float) -> list[str]:
        """The program's command line, with `{text}` and `{wav}` for its input and output files."""
        raise NotImplementedError

    def speak(self, request: TextToSpeechInput) -> TextToSpeechOutput:
        voice = chosen_voice(request.voice, self.voices, self.default_voice)
        samples, sample_rate = read_wav(synthesize_to_wav(self.command(voice, request.speed), str(request.input)))
        return encode_speech(samples, sample_rate, request.format)

    def predict(self, batch: list[Any]) -> list[TextToSpeechOutput]:
        requests: list[TextToSpeechInput] = batch
        return [self.speak(request) for request in requests]
