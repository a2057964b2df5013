"""Running the speech synthesis programs of Debian (espeak-ng, flite) as child processes:
the text goes through a file or standard input, never as a command-line argument that could
read as an option, and each run has a timeout."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from typeserve.errors import bad_request

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
