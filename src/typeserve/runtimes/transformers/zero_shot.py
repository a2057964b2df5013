"""zero-shot-classification on a natural-language-inference head (MNLI-style: entailment,
neutral, contradiction): the text is the premise and each label, put into the hypothesis
template, a hypothesis; a label is as likely as its hypothesis is entailed. Single-label
scores are a softmax of the entailment logits across the labels (they sum to 1); with
`multiLabel` each label's score is its entailment-against-contradiction probability. The
premise-hypothesis pairs of a batch run in chunks, so many labels cannot blow up one pass."""

from __future__ import annotations

from typing import Any

import numpy as np

from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.scores import ranked_labels, softmax
from typeserve.runtimes.transformers.adapter_base import Adapter, model_max_length

PAIRS_PER_PASS = 64


def label_index(config: Any, prefix: str) -> int | None:
    """The id of the config's label that starts with `prefix` (entailment, contradiction)."""
    for index, name in (getattr(config, "id2label", None) or {}).items():
        if str(name).lower().startswith(prefix):
            return int(index)
    return None


def nli_indices(config: Any) -> tuple[int, int | None]:
    entailment = label_index(config, "entail")
    if entailment is None:
        raise ValueError(
            "the head has no entailment label, so it is not an NLI model and cannot serve zero-shot labels"
        )
    return entailment, label_index(config, "contradict")


Pairs = tuple[list[str], list[str], list[int]]  # premises, hypotheses, item of each pair


class ZeroShotAdapter(Adapter[Pairs]):
    max_batch_size = 8

    def setup(self) -> None:
        self.entailment, self.contradiction = nli_indices(self.config)

    def preprocess(self, batch: list[Any]) -> Pairs:
        premises, hypotheses, owners = [], [], []
        for index, item in enumerate(batch):
            for hypothesis in item.hypotheses():
                premises.append(item.input)
                hypotheses.append(hypothesis)
                owners.append(index)
        return premises, hypotheses, owners

    def forward(self, prepared: Pairs) -> np.ndarray:
        premises, hypotheses, _ = prepared
        chunks = []
        for start in range(0, len(premises), PAIRS_PER_PASS):
            encoded = self.processor(
                premises[start : start + PAIRS_PER_PASS],
                hypotheses[start : start + PAIRS_PER_PASS],
                padding=True,
                truncation="only_first",
                max_length=model_max_length(self.processor, self.config),
                return_tensors="np",
            )
            chunks.append(self.backend.forward(dict(encoded))["logits"])
        return np.concatenate(chunks).astype(np.float64)

    def postprocess(self, raw: np.ndarray, prepared: Pairs, batch: list[Any]) -> list[LabelsOutput]:
        owners = np.asarray(prepared[2])
        outputs = []
        for index, item in enumerate(batch):
            logits = raw[owners == index]
            if item.multiLabel and self.contradiction is not None:
                scores = softmax(logits[:, [self.contradiction, self.entailment]])[:, 1]
            elif item.multiLabel:
                scores = softmax(logits)[:, self.entailment]
            else:
                scores = softmax(logits[:, self.entailment])
            outputs.append(ranked_labels(scores, item.labels, None))
        return outputs
