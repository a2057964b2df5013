"""Audio for the bundled speech datasets, from two Debian packages (never training data of the
models evaluated here):

- `pocketsphinx-testdata`: read speech with transcripts (LibriVox "Sense and Sensibility"
  sentences, spoken playing cards, "go forward ten meters"), 16 kHz;
- `sound-theme-freedesktop`: the freedesktop sound theme, whose `audio-channel-*` files are
  a voice saying "front left" and so on, and whose other files are bells, chimes, tones
  and noises (OGG Vorbis, 8 to 96 kHz, mono and stereo);

plus two clips made here: two seconds of digital silence and of seeded white noise."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TESTDATA = Path("/usr/share/pocketsphinx/test/data")
SOUND_THEME = Path("/usr/share/sounds/freedesktop/stereo")
INSTALL_HINT = "apt-get install pocketsphinx-testdata sound-theme-freedesktop (scripts/install-system-deps.sh)"
RAW_RATE = 16_000
# Raw 16 kHz PCM recordings of the test data whose words its test suite states.
RAW_TRANSCRIPTS = {"goforward.raw": "go forward ten meters"}


@dataclass(frozen=True)
class Clip:
    name: str
    data: bytes  # an audio file (WAV or OGG) as a user would send it
    speech: bool
    transcript: str | None = None


def require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; install it with: {INSTALL_HINT}")
    return path


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def raw_pcm_as_wav(path: Path) -> bytes:
    return wav_bytes(np.fromfile(require(path), dtype="<i2"), RAW_RATE)


def read_transcripts(path: Path) -> dict[str, str]:
    """Sphinx transcription files: `<s> words </s> (file id)` per line."""
    transcripts = {}
    for line in require(path).read_text().splitlines():
        if "(" not in line:
            continue
        words, _, file_id = line.rpartition("(")
        text = words.replace("<s>", " ").replace("</s>", " ")
        transcripts[file_id.strip(" )")] = " ".join(text.split())
    return transcripts


def transcribed_clips() -> list[Clip]:
    """Read English speech with reference transcripts (11 utterances)."""
    clips = []
    for folder, listing in (("librivox", "transcription"), ("cards", "cards.transcription")):
        for file_id, text in read_transcripts(TESTDATA / folder / listing).items():
            path = require(TESTDATA / folder / f"{file_id}.wav")
            clips.append(Clip(f"{folder}/{file_id}", path.read_bytes(), True, text))
    for filename, text in RAW_TRANSCRIPTS.items():
        clips.append(Clip(filename, raw_pcm_as_wav(TESTDATA / filename), True, text))
    return clips


def theme_clips() -> list[Clip]:
    """The freedesktop theme: spoken channel names are speech, every other sound is not."""
    files = sorted(require(SOUND_THEME).glob("*.oga"))
    return [Clip(f"freedesktop/{f.stem}", f.read_bytes(), f.stem.startswith("audio-channel-")) for f in files]


def synthetic_clips() -> list[Clip]:
    rate = 16_000
    noise = np.random.default_rng(0).normal(0.0, 0.1, 2 * rate).astype(np.float32)
    return [
        Clip("synthetic/silence", wav_bytes(np.zeros(2 * rate, dtype=np.float32), rate), False),
        Clip("synthetic/white-noise", wav_bytes(noise, rate), False),
    ]


def voice_activity_clips() -> list[Clip]:
    """Speech and non-speech clips for voice activity detectors."""
    return transcribed_clips() + theme_clips() + synthetic_clips()
