"""langid.py (Lui & Baldwin 2012), a naive Bayes language identifier over byte n-grams for
97 languages, as text-classification. Its probabilities are normalised over all 97
languages; labels are ISO 639-1 codes."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import ranked_pairs

DEFAULT_TOP_K = 5


class LangidLanguageId(LoadedModel):
    max_batch_size = 64

    def __init__(self) -> None:
        from langid.langid import LanguageIdentifier, model

        # norm_probs turns langid's raw log-scores into a distribution over its languages.
        self.identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        return [ranked_pairs(self.identifier.rank(item.input), item.topK or DEFAULT_TOP_K) for item in batch]


def load(spec: ModelSpec, device: str) -> LangidLanguageId:
    return LangidLanguageId()
