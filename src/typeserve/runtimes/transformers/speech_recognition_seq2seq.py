"""automatic-speech-recognition on a speech encoder-decoder (Whisper): clips are cut into the
model's 30-second windows, the windows of a batch are generated together (grouped by
requested language), and timestamp tokens become timed segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.errors import invalid_input
from typeserve.modeltypes.automatic_speech_recognition import Segment, SpeechRecognitionOutput
from typeserve.runtimes.transformers.adapter_base import Adapter
from typeserve.runtimes.transformers.audio import extract_features, feature_extractor_of, sampling_rate_of
from typeserve.runtimes.transformers.backend import GenerateOptions
from typeserve.runtimes.transformers.seq2seq import decoder_limit, group_indices, load_generation_config

DEFAULT_MAX_NEW_TOKENS = 224


@dataclass
class WindowGroup:
    options: GenerateOptions
    features: dict[str, np.ndarray]
    # (item index, window start in seconds) per row of `features`.
    windows: list[tuple[int, float]]


class Seq2SeqSpeechRecognitionAdapter(Adapter[list[WindowGroup]]):
    max_batch_size = 4

    def setup(self) -> None:
        self.tokenizer = self.processor.tokenizer
        self.rate = sampling_rate_of(self.processor)
        extractor = feature_extractor_of(self.processor)
        self.window_samples = int(getattr(extractor, "n_samples", 30 * self.rate))
        generation = load_generation_config(self.spec.options["path"])
        self.lang_to_id: dict[str, int] = dict(getattr(generation, "lang_to_id", None) or {})
        self.multilingual = bool(getattr(generation, "is_multilingual", False) and self.lang_to_id)
        self.timestamps = getattr(generation, "no_timestamps_token_id", None) is not None
        self.start_token = getattr(generation, "decoder_start_token_id", None) or self.config.decoder_start_token_id
        self.task_token = (getattr(generation, "task_to_id", None) or {}).get("transcribe")
        self.no_timestamps_token = getattr(generation, "no_timestamps_token_id", None)
        self.max_new_tokens = min(DEFAULT_MAX_NEW_TOKENS, decoder_limit(self.config) - 4)

    def language(self, item: Any) -> str | None:
        if not self.multilingual or item.language is None:
            return None
        if f"<|{item.language}|>" not in self.lang_to_id:
            known = ", ".join(sorted(t.strip("<|>") for t in self.lang_to_id))
            raise invalid_input(
                "unsupported_language",
                "Language not supported by this model",
                f"{self.spec.id} does not know the language {item.language!r}; it knows {known}.",
            )
        return str(item.language)

    def options(self, language: str | None) -> GenerateOptions:
        prompt = [int(self.start_token)]
        if language is not None:
            prompt.append(self.lang_to_id[f"<|{language}|>"])
        if self.multilingual and self.task_token is not None:
            prompt.append(int(self.task_token))
        if not self.timestamps and self.no_timestamps_token is not None:
            prompt.append(int(self.no_timestamps_token))
        return GenerateOptions(max_new_tokens=self.max_new_tokens, decoder_prompt=prompt)

    def preprocess(self, batch: list[Any]) -> list[WindowGroup]:
        groups = []
        for language, indices in group_indices(batch, self.language).items():
            clips, windows = [], []
            for index in indices:
                samples = batch[index].samples
                for start in range(0, max(1, len(samples)), self.window_samples):
                    clips.append(samples[start : start + self.window_samples])
                    windows.append((index, start / self.rate))
            features = extract_features(self.processor, clips, padding="max_length")
            features.pop("attention_mask", None)
            groups.append(WindowGroup(options=self.options(language), features=features, windows=windows))
        return groups

    def forward(self, prepared: list[WindowGroup]) -> list[np.ndarray]:
        return [self.backend.generate(group.features, group.options) for group in prepared]

    def window_segments(self, ids: list[int], offset: float) -> tuple[str, list[Segment]]:
        text = self.tokenizer.decode(ids, skip_special_tokens=True).strip()
        segments = []
        if self.timestamps:
            decoded = self.tokenizer.decode(ids, skip_special_tokens=True, output_offsets=True)
            for piece in decoded.get("offsets", []):
                start, end = piece["timestamp"]
                if piece["text"].strip() and start is not None and end is not None and end >= start:
                    segments.append(
                        Segment(start=round(offset + start, 3), end=round(offset + end, 3), text=piece["text"].strip())
                    )
        return text, segments

    def postprocess(
        self, raw: list[np.ndarray], prepared: list[WindowGroup], batch: list[Any]
    ) -> list[SpeechRecognitionOutput]:
        texts: list[list[str]] = [[] for _ in batch]
        segments: list[list[Segment]] = [[] for _ in batch]
        for group, ids in zip(prepared, raw, strict=True):
            for (index, offset), row in zip(group.windows, ids, strict=True):
                text, timed = self.window_segments([int(t) for t in row], offset)
                if text:
                    texts[index].append(text)
                segments[index] += timed
        return [
            SpeechRecognitionOutput(text=" ".join(parts), segments=timed or None)
            for parts, timed in zip(texts, segments, strict=True)
        ]
