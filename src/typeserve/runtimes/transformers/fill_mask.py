"""fill-mask on a masked-LM head: the wire's `[MASK]` or `<mask>` becomes the tokenizer's own
mask token, one padded forward pass per batch, a softmax over the vocabulary at the mask."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.errors import invalid_input
from typeserve.modeltypes.fill_mask import MASK_PATTERN, FillMaskOutput, Prediction
from typeserve.runtimes.scores import clamp01, softmax
from typeserve.runtimes.transformers.adapter_base import Adapter, model_max_length

DEFAULT_TOP_K = 5
CONTINUATION = "##"
CONTINUED_MASK = re.compile(r" ?(?:" + MASK_PATTERN.pattern + ")")


def fill_in(text: str, token: str) -> str:
    """The request's text with its mask marker replaced by `token`, as written (not re-decoded,
    which would lose the text's case and spacing); a WordPiece continuation (`##s`) joins the
    word before the mask."""
    if token.startswith(CONTINUATION) and len(token) > len(CONTINUATION):
        return CONTINUED_MASK.sub(lambda _match: token[len(CONTINUATION) :], text, count=1)
    return MASK_PATTERN.sub(lambda _match: token, text, count=1)


@dataclass
class MaskedBatch:
    inputs: dict[str, np.ndarray]
    mask_positions: list[int]


class FillMaskAdapter(Adapter[MaskedBatch]):
    max_batch_size = 32

    def setup(self) -> None:
        if self.processor.mask_token is None:
            raise ValueError("the tokenizer has no mask token, so the model cannot fill masks")
        # Special tokens ([CLS], [PAD], ...) never fill a mask in running text.
        self.excluded = np.array(sorted(set(self.processor.all_special_ids)), dtype=np.int64)

    def preprocess(self, batch: list[Any]) -> MaskedBatch:
        texts = [MASK_PATTERN.sub(self.processor.mask_token, item.input, count=1) for item in batch]
        encoded = dict(
            self.processor(
                texts,
                padding=True,
                truncation=True,
                max_length=model_max_length(self.processor, self.config),
                return_tensors="np",
            )
        )
        positions = []
        for row, item in zip(encoded["input_ids"], batch, strict=True):
            found = np.flatnonzero(row == self.processor.mask_token_id)
            if len(found) != 1:
                raise invalid_input(
                    "mask_truncated",
                    "Mask not in the model's window",
                    f"The mask token is beyond the model's {len(row)}-token window; shorten the text "
                    f"({item.input[:40]!r}...).",
                )
            positions.append(int(found[0]))
        return MaskedBatch(inputs=encoded, mask_positions=positions)

    def forward(self, prepared: MaskedBatch) -> np.ndarray:
        logits = self.backend.forward(prepared.inputs)["logits"]
        rows = np.arange(len(prepared.mask_positions))
        return np.asarray(logits[rows, prepared.mask_positions])

    def postprocess(self, raw: np.ndarray, prepared: MaskedBatch, batch: list[Any]) -> list[FillMaskOutput]:
        outputs = []
        for logits, item in zip(raw.astype(np.float64), batch, strict=True):
            probabilities = softmax(logits)
            probabilities[self.excluded[self.excluded < len(probabilities)]] = -1.0
            predictions = []
            for token_id in np.argsort(-probabilities, kind="stable")[: item.topK or DEFAULT_TOP_K]:
                token = self.processor.decode([int(token_id)]).strip()
                predictions.append(
                    Prediction(
                        token=token,
                        score=clamp01(float(probabilities[token_id])),
                        sequence=fill_in(item.input, token),
                    )
                )
            outputs.append(FillMaskOutput(predictions=predictions))
        return outputs
