"""token-classification on a token-classification head (NER and other taggers): one padded
forward pass per batch, a softmax per token, and each token's best tag mapped back to
characters with the fast tokenizer's offsets. With aggregation `simple` (the default)
consecutive tokens of one entity (`B-PER`, `I-PER`, ...) become one entity whose score is the
mean of its tokens' scores; with `none` every token not tagged `O` is its own entry. Tokens
past the model's length limit are not tagged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.modeltypes.token_classification import Entity, TokenClassificationOutput
from typeserve.runtimes.scores import clamp01, softmax
from typeserve.runtimes.transformers.adapter_base import Adapter, label_name, model_max_length

OUTSIDE = "O"


@dataclass
class Tagged:
    tag: str
    score: float
    start: int
    end: int


def split_tag(tag: str) -> tuple[str, str]:
    """("B", "PER") for B-PER; a tag without a prefix continues an entity of its type."""
    if len(tag) > 2 and tag[1] in "-_" and tag[0] in "BIES":
        return tag[0], tag[2:]
    return "I", tag


def grouped(tokens: list[Tagged]) -> list[list[Tagged]]:
    groups: list[list[Tagged]] = []
    for token in tokens:
        prefix, kind = split_tag(token.tag)
        continues = groups and prefix in "IE" and split_tag(groups[-1][-1].tag)[1] == kind
        if continues and groups[-1][-1].end <= token.start:
            groups[-1].append(token)
        else:
            groups.append([token])
    return groups


def entity(kind: str, text: str, start: int, end: int, score: float) -> Entity:
    return Entity(entity=kind, word=text[start:end], score=score, start=start, end=end)


def entities_of(text: str, tokens: list[Tagged], aggregation: str) -> list[Entity]:
    tagged = [t for t in tokens if t.tag != OUTSIDE]
    if aggregation == "none":
        return [
            Entity(entity=t.tag, word=text[t.start : t.end], score=t.score, start=t.start, end=t.end) for t in tagged
        ]
    entities = []
    for group in grouped(tagged):
        start, end = group[0].start, group[-1].end
        score = clamp01(float(np.mean([t.score for t in group])))
        entities.append(
            Entity(entity=split_tag(group[0].tag)[1], word=text[start:end], score=score, start=start, end=end)
        )
    return entities


class TokenClassificationAdapter(Adapter[dict[str, np.ndarray]]):
    max_batch_size = 32

    def setup(self) -> None:
        if not getattr(self.processor, "is_fast", False):
            raise RuntimeError("token classification needs a fast tokenizer (tokenizer.json) for character offsets")

    def preprocess(self, batch: list[Any]) -> dict[str, np.ndarray]:
        encoded = self.processor(
            [item.input for item in batch],
            padding=True,
            truncation=True,
            max_length=model_max_length(self.processor, self.config),
            return_offsets_mapping=True,
            return_special_tokens_mask=True,
            return_tensors="np",
        )
        return dict(encoded)

    def forward(self, prepared: dict[str, np.ndarray]) -> np.ndarray:
        inputs = {k: v for k, v in prepared.items() if k not in ("offset_mapping", "special_tokens_mask")}
        return self.backend.forward(inputs)["logits"]

    def postprocess(
        self, raw: np.ndarray, prepared: dict[str, np.ndarray], batch: list[Any]
    ) -> list[TokenClassificationOutput]:
        probabilities = softmax(raw.astype(np.float64))
        outputs = []
        for row, item in enumerate(batch):
            tokens = []
            for position, (start, end) in enumerate(prepared["offset_mapping"][row]):
                if prepared["special_tokens_mask"][row][position] or not prepared["attention_mask"][row][position]:
                    continue
                if end <= start:
                    continue
                best = int(np.argmax(probabilities[row, position]))
                score = clamp01(float(probabilities[row, position, best]))
                tokens.append(Tagged(label_name(self.config, best), score, int(start), int(end)))
            outputs.append(TokenClassificationOutput(entities=entities_of(item.input, tokens, item.aggregation)))
        return outputs
