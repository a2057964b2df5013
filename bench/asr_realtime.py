"""Real-time factor of the default catalog's speech recognisers on one core: compute seconds
per second of audio on Debian's pocketsphinx-testdata recordings, for the clips one by one
(what a user sending short commands sees) and for the eleven clips joined into one recording
with half a second of silence between them (what a longer recording sees; Whisper pays for a
whole 30-second window even for a one-second clip). Each model's loaded runtime is called
directly, after one warm-up call, the whole process pinned to one CPU (before numpy or any
model library starts a thread) where the OS allows it. Figures are wall-clock / CPU-time
ratios: on a busy machine the wall clock also counts time waiting for the CPU, and the CPU
time is what one free core would take. CTranslate2's int8 speed depends on the CPU's vector
instructions (AVX-512 VNNI, AMX), so the CPU and its flags are printed with the figures.

    python bench/asr_realtime.py [--repeats 3]
"""

from __future__ import annotations

import os

# Pinned first: threads started later (numpy's BLAS, CTranslate2's) inherit the one CPU.
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from typeserve.catalog import Catalog
from typeserve.experiments.bundled.audio import transcribed_clips
from typeserve.modeltypes.media.audio import decode_audio
from typeserve.modeltypes.media_refs import AudioItem
from typeserve.runtimes.builtin import BuiltinRuntime

MODELS = ("openai/1/whisper-tiny-en", "cmu/1/pocketsphinx-en-us")
RATE = 16_000


def seconds_to_run(model: object, items: list[AudioItem]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) to transcribe the items."""
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        model.predict([item])  # type: ignore[attr-defined]
    return time.perf_counter() - wall, time.process_time() - cpu


def median_rtf(model: object, items: list[AudioItem], audio_s: float, repeats: int) -> str:
    runs = [seconds_to_run(model, items) for _ in range(repeats)]
    wall = statistics.median(r[0] for r in runs) / audio_s
    cpu = statistics.median(r[1] for r in runs) / audio_s
    return f"{wall:.3f} / {cpu:.3f}"


def cpu_description() -> str:
    """The CPU's model name and the int8 vector instructions CTranslate2 can use."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown CPU"
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), []))
    shown = [flag for flag in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if flag in flags]
    return f"{name} ({', '.join(shown) or 'no AVX2'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    clips = [decode_audio(c.data, RATE, 1 << 30, 3600) for c in transcribed_clips()]
    gap = np.zeros(RATE // 2, dtype=np.float32)
    joined = np.concatenate([piece for clip in clips for piece in (clip, gap)])
    one_by_one = [AudioItem(samples=c, sample_rate=RATE) for c in clips]
    long_one = [AudioItem(samples=joined, sample_rate=RATE)]
    audio_s = sum(len(c) for c in clips) / RATE
    catalog = Catalog.default([])
    joined_s = len(joined) / RATE
    print(
        f"{len(clips)} clips, {audio_s:.1f} s of audio; joined: {joined_s:.1f} s; 1 CPU, load {os.getloadavg()[0]:.1f}"
    )
    print(f"CPU: {cpu_description()}")
    print("| model | RTF wall / CPU, clips one by one | RTF wall / CPU, one joined recording |")
    print("|---|---|---|")
    for model_id in MODELS:
        model = BuiltinRuntime().load(catalog.get(model_id), "cpu")
        seconds_to_run(model, one_by_one[:1])  # warm-up
        short = median_rtf(model, one_by_one, audio_s, args.repeats)
        long = median_rtf(model, long_one, len(joined) / RATE, args.repeats)
        print(f"| {model_id} | {short} | {long} |")
        model.close()


if __name__ == "__main__":
    main()
