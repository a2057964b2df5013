"""automatic-speech-recognition on a CTC head (Wav2Vec2, HuBERT, ...): greedy CTC decoding
of the batch's logits; the tokenizer's word offsets become timed segments, one per word
(a CTC frame lasts `inputs_to_logits_ratio` samples)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from typeserve.modeltypes.automatic_speech_recognition import Segment, SpeechRecognitionOutput
from typeserve.runtimes.transformers.adapter_base import Adapter
from typeserve.runtimes.transformers.audio import extract_features, sampling_rate_of


class CtcSpeechRecognitionAdapter(Adapter[dict[str, np.ndarray]]):
    max_batch_size = 8

    def setup(self) -> None:
        strides = getattr(self.config, "conv_stride", None) or [320]
        self.seconds_per_frame = math.prod(int(s) for s in strides) / sampling_rate_of(self.processor)

    def preprocess(self, batch: list[Any]) -> dict[str, np.ndarray]:
        return extract_features(self.processor, [item.samples for item in batch])

    def forward(self, prepared: dict[str, np.ndarray]) -> np.ndarray:
        return self.backend.forward(prepared)["logits"]

    def postprocess(
        self, raw: np.ndarray, prepared: dict[str, np.ndarray], batch: list[Any]
    ) -> list[SpeechRecognitionOutput]:
        tokenizer = self.processor.tokenizer
        outputs = []
        for ids, item in zip(raw.argmax(-1), batch, strict=True):
            # Frames past the end of this clip are padding of the batch.
            frames = max(1, math.ceil(item.duration_s / self.seconds_per_frame))
            decoded = tokenizer.decode(ids[:frames].tolist(), output_word_offsets=True)
            segments = [
                Segment(
                    start=round(word["start_offset"] * self.seconds_per_frame, 3),
                    end=round(min(word["end_offset"] * self.seconds_per_frame, item.duration_s), 3),
                    text=word["word"],
                )
                for word in decoded.word_offsets
            ]
            text = " ".join(decoded.text.split())
            outputs.append(SpeechRecognitionOutput(text=text, segments=segments or None))
        return outputs
