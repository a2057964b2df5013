"""CMU Flite (Debian's flite: small diphone and clustergen voices of Festival, English) as
text-to-speech.

`voice` is one of the voices compiled into the program (`flite -lv`: kal, kal16, awb, rms,
slt, awb_time); `speed` is applied through Flite's duration stretch. Flite writes a WAV at
the voice's rate (8 kHz for kal, 16 kHz for the others)."""

from __future__ import annotations

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.builtin.speech_programs import SpeechProgram, run_program


def installed_voices() -> dict[str, str]:
    listing = run_program(["flite", "-lv"]).decode("utf-8", "replace")
    return {name.lower(): name for name in listing.split(":", 1)[-1].split()}


class Flite(SpeechProgram):
    program = "flite"

    def command(self, voice: str, speed: float) -> list[str]:
        stretch = f"duration_stretch={1.0 / speed:.3f}"
        return ["flite", "-voice", voice, "--setf", stretch, "-f", "{text}", "-o", "{wav}"]


def load(spec: ModelSpec, device: str) -> Flite:
    return Flite(installed_voices(), str(spec.options.get("default_voice", "slt")))
