"""CMU PocketSphinx 5 with its bundled US English acoustic model, dictionary and trigram
language model (pocketsphinx.get_model_path()) as automatic-speech-recognition.

The 16 kHz clip is decoded as one utterance. Segments are the recognised words with their
times (PocketSphinx counts 100 frames a second); silences, fillers and sentence markers
are left out, and alternate pronunciations (`word(2)`) are reported as the word.

A decoder holds the state of the utterance it is decoding, so each loaded model owns one
decoder and a lock: items are decoded one after another, even if the engine runs several
predict calls of the same model in parallel."""

from __future__ import annotations

import re
import threading
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import bad_request
from typeserve.modeltypes.automatic_speech_recognition import Segment, SpeechRecognitionOutput
from typeserve.modeltypes.media_refs import AudioItem
from typeserve.runtimes.base import LoadedModel

SAMPLE_RATE = 16_000
ALTERNATE = re.compile(r"\(\d+\)$")


def is_word(token: str) -> bool:
    """Real words, not <s>, </s>, <sil> or fillers such as [NOISE] and ++UH++."""
    return bool(token) and not token.startswith(("<", "[", "++"))


class PocketSphinx(LoadedModel):
    max_batch_size = 4

    def __init__(self, options: dict[str, Any]) -> None:
        from pocketsphinx import Decoder

        # Decoder() defaults to the bundled en-us model; only the rate and quietness are set.
        self.decoder = Decoder(samprate=SAMPLE_RATE, loglevel="ERROR", **options)
        self.frame_rate = float(self.decoder.config["frate"])
        self.lock = threading.Lock()

    def transcribe(self, samples: np.ndarray) -> SpeechRecognitionOutput:
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
        with self.lock:
            self.decoder.start_utt()
            self.decoder.process_raw(pcm, full_utt=True)
            self.decoder.end_utt()
            words = [(s.word, s.start_frame, s.end_frame) for s in self.decoder.seg()]
        segments = [
            Segment(
                start=round(start / self.frame_rate, 2),
                end=round((end + 1) / self.frame_rate, 2),
                text=ALTERNATE.sub("", word),
            )
            for word, start, end in words
            if is_word(word)
        ]
        return SpeechRecognitionOutput(text=" ".join(s.text for s in segments), segments=segments)

    def predict(self, batch: list[Any]) -> list[SpeechRecognitionOutput]:
        items: list[AudioItem] = batch
        for item in items:
            if item.language and item.language.split("-")[0].lower() != "en":
                raise bad_request(
                    "unsupported_language", f"This model recognises English (en) only, not {item.language!r}."
                )
        return [self.transcribe(item.samples) for item in items]


def load(spec: ModelSpec, device: str) -> PocketSphinx:
    if spec.sample_rate not in (None, SAMPLE_RATE):
        raise ValueError(f"{spec.id}: the bundled en-us model is trained on {SAMPLE_RATE} Hz audio")
    return PocketSphinx(dict(spec.options.get("decoder", {})))
