"""Zero-shot classification by embedding similarity: the text and one hypothesis per label
("This example is {label}.") are embedded by a sentence encoder, and labels rank by the
cosine between the text and their hypothesis. Single-label scores are a softmax over the
cosines (temperature 0.05), so they sum to 1 and say how clearly a label beats the others;
with `multiLabel` each score is the label's own cosine, clamped into [0, 1] (not a probability).
Hypothesis vectors are cached: the same labels come back request after request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.sentence_embeddings import SentenceEmbedder
from typeserve.runtimes.scores import ranked_labels, softmax

TEMPERATURE = 0.05
CACHED_HYPOTHESES = 4096


def label_scores(cosines: np.ndarray, multi_label: bool) -> np.ndarray:
    if multi_label:
        return np.clip(cosines, 0.0, 1.0)
    return softmax(cosines, temperature=TEMPERATURE)


class SimilarityZeroShot(LoadedModel):
    def __init__(self, encoder: SentenceEmbedder) -> None:
        self.encoder = encoder
        self.max_batch_size = encoder.max_batch_size
        self.hypotheses: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()  # replicas of a model may share it across threads

    def hypothesis_vectors(self, sentences: list[str]) -> dict[str, np.ndarray]:
        with self.lock:
            found = {s: self.hypotheses[s] for s in sentences if s in self.hypotheses}
        missing = list(dict.fromkeys(s for s in sentences if s not in found))
        if missing:
            found.update(zip(missing, self.encoder.unit_vectors(missing), strict=True))
        with self.lock:
            for sentence in sentences:
                self.hypotheses[sentence] = found[sentence]
                self.hypotheses.move_to_end(sentence)
            while len(self.hypotheses) > CACHED_HYPOTHESES:
                self.hypotheses.popitem(last=False)
        return found

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        texts = self.encoder.unit_vectors([item.input for item in batch])
        outputs = []
        for item, text in zip(batch, texts, strict=True):
            sentences = item.hypotheses()
            vectors = self.hypothesis_vectors(sentences)
            cosines = np.array([float(vectors[s] @ text) for s in sentences])
            outputs.append(ranked_labels(label_scores(cosines, item.multiLabel), item.labels, None))
        return outputs

    def close(self) -> None:
        self.encoder.close()
