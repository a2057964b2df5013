"""question-answering on a span-extraction head. Long contexts are cut into overlapping
windows (a stride), every window of every item goes through one padded forward pass, and the
best spans are searched over start/end probabilities within each window, then mapped back to
character offsets of the context with the tokenizer's offset mapping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.errors import invalid_input
from typeserve.modeltypes.question_answering import Answer, QuestionAnsweringOutput
from typeserve.runtimes.scores import clamp01, softmax
from typeserve.runtimes.transformers.adapter_base import Adapter, model_max_length

DEFAULT_TOP_K = 1
MAX_ANSWER_TOKENS = 30
# Windows per forward pass (a 100k-character context makes about a hundred).
WINDOWS_PER_PASS = 32
# Candidate spans kept per window before answers of all windows are merged.
SPANS_PER_WINDOW = 20


@dataclass
class Windows:
    inputs: dict[str, np.ndarray]
    item_of_window: list[int]
    # Per window and token: (start, end) characters in the context, or None outside it.
    offsets: list[list[tuple[int, int] | None]]


class QuestionAnsweringAdapter(Adapter[Windows]):
    max_batch_size = 16

    def setup(self) -> None:
        self.max_length = model_max_length(self.processor, self.config, ceiling=384)
        self.stride = min(128, self.max_length // 4)

    def preprocess(self, batch: list[Any]) -> Windows:
        try:
            encoded = self.processor(
                [item.question for item in batch],
                [item.context for item in batch],
                truncation="only_second",
                max_length=self.max_length,
                stride=self.stride,
                return_overflowing_tokens=True,
                return_offsets_mapping=True,
                padding=True,
                return_tensors="np",
            )
        except Exception as exc:  # the tokenizer refuses a question that leaves no room for context
            raise invalid_input(
                "question_too_long", "Question too long", f"The question leaves no room for the context: {exc}"
            ) from None
        offsets: list[list[tuple[int, int] | None]] = []
        for window, mapping in enumerate(encoded["offset_mapping"]):
            sequence_ids = encoded.sequence_ids(window)
            offsets.append([(int(s), int(e)) if sequence_ids[t] == 1 else None for t, (s, e) in enumerate(mapping)])
        item_of_window = [int(i) for i in encoded["overflow_to_sample_mapping"]]
        names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in encoded]
        return Windows(inputs={n: encoded[n] for n in names}, item_of_window=item_of_window, offsets=offsets)

    def forward(self, prepared: Windows) -> tuple[np.ndarray, np.ndarray]:
        # A long context makes many windows: run them in passes of bounded size.
        starts, ends = [], []
        total = len(prepared.item_of_window)
        for first in range(0, total, WINDOWS_PER_PASS):
            chunk = {name: array[first : first + WINDOWS_PER_PASS] for name, array in prepared.inputs.items()}
            outputs = self.backend.forward(chunk)
            starts.append(outputs["start_logits"])
            ends.append(outputs["end_logits"])
        return np.concatenate(starts), np.concatenate(ends)

    def window_spans(
        self, start_logits: np.ndarray, end_logits: np.ndarray, offsets: list[tuple[int, int] | None]
    ) -> list[tuple[float, int, int]]:
        """(score, first char, last char) of the best spans that lie inside the context."""
        in_context = np.array([o is not None for o in offsets[: len(start_logits)]])
        if not in_context.any():
            return []
        # Probabilities over the context tokens only, as the score of a span of this window.
        start = softmax(np.where(in_context, start_logits, -np.inf))
        end = softmax(np.where(in_context, end_logits, -np.inf))
        scores = np.triu(np.outer(start, end))
        scores = np.tril(scores, MAX_ANSWER_TOKENS - 1)
        spans = []
        for flat in np.argsort(-scores, axis=None)[:SPANS_PER_WINDOW]:
            s, e = np.unravel_index(flat, scores.shape)
            first, last = offsets[int(s)], offsets[int(e)]
            if scores[s, e] <= 0 or first is None or last is None:
                continue
            spans.append((float(scores[s, e]), first[0], last[1]))
        return spans

    def postprocess(
        self, raw: tuple[np.ndarray, np.ndarray], prepared: Windows, batch: list[Any]
    ) -> list[QuestionAnsweringOutput]:
        start_logits, end_logits = (r.astype(np.float64) for r in raw)
        best: list[dict[tuple[int, int], float]] = [{} for _ in batch]
        for window, item_index in enumerate(prepared.item_of_window):
            for score, first, last in self.window_spans(
                start_logits[window], end_logits[window], prepared.offsets[window]
            ):
                key = (first, last)
                # Overlapping windows see the same span; keep its best score.
                best[item_index][key] = max(score, best[item_index].get(key, 0.0))
        outputs = []
        for spans, item in zip(best, batch, strict=True):
            ranked = sorted(spans.items(), key=lambda kv: kv[1], reverse=True)[: item.topK or DEFAULT_TOP_K]
            answers = [
                Answer(answer=item.context[first:last], score=clamp01(score), start=first, end=last)
                for (first, last), score in ranked
            ]
            outputs.append(QuestionAnsweringOutput(answers=answers))
        return outputs
