"""Tesseract 5 (Debian's tesseract-ocr, LSTM engine, with the tessdata language packs
installed beside it) as image-to-text.

The image goes to the `tesseract` program as PNG on its standard input and the answer is
read from its TSV output: one row per word with its box, its line (block, paragraph, line
numbers) and a confidence in 0 to 100. Words are joined into their lines in Tesseract's
reading order; a line's box is its words' union and its score their mean confidence. The
program runs as a child process with a timeout, so a hostile image cannot hang the server."""

from __future__ import annotations

import csv
import io
import subprocess
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import bad_request
from typeserve.modeltypes.image_to_text import ImageToTextOutput
from typeserve.modeltypes.media_refs import ImageItem
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.ocr_lines import RecognisedLine, ocr_output

# ISO 639-1 codes to the tessdata names of the Debian tesseract-ocr-<lang> packages.
TESSDATA_NAMES = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "sv": "swe", "da": "dan", "no": "nor", "fi": "fin", "pl": "pol", "cs": "ces", "ru": "rus",
    "uk": "ukr", "el": "ell", "tr": "tur", "ar": "ara", "he": "heb", "hi": "hin", "ja": "jpn",
    "zh": "chi_sim", "ko": "kor", "vi": "vie", "id": "ind",
}  # fmt: skip
LEVEL_WORD = "5"


def installed_languages() -> set[str]:
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=True)
    return {line.strip() for line in listing.stdout.splitlines()[1:] if line.strip()}


def words_to_lines(tsv: str) -> list[RecognisedLine]:
    lines: dict[tuple[str, str, str, str], list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == LEVEL_WORD and (row.get("text") or "").strip() and float(row["conf"]) >= 0:
            key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
            lines.setdefault(key, []).append(row)
    recognised = []
    for words in lines.values():  # dicts keep insertion order: Tesseract's reading order
        left = [int(w["left"]) for w in words]
        top = [int(w["top"]) for w in words]
        recognised.append(
            RecognisedLine(
                text=" ".join(w["text"].strip() for w in words),
                score=sum(float(w["conf"]) for w in words) / len(words) / 100.0,
                xmin=min(left),
                ymin=min(top),
                xmax=max(x + int(w["width"]) for x, w in zip(left, words, strict=True)),
                ymax=max(y + int(w["height"]) for y, w in zip(top, words, strict=True)),
            )
        )
    return recognised


class Tesseract(LoadedModel):
    max_batch_size = 4

    def __init__(self, languages: dict[str, str], default_language: str, timeout_s: float) -> None:
        self.languages = languages
        self.default_language = default_language
        self.timeout_s = timeout_s

    def tessdata_name(self, language: str | None) -> str:
        code = language or self.default_language
        if code not in self.languages:
            known = ", ".join(sorted(self.languages))
            raise bad_request("unsupported_language", f"This model reads {known}, not {code!r}.")
        return self.languages[code]

    def read(self, item: ImageItem) -> ImageToTextOutput:
        png = io.BytesIO()
        item.image.save(png, format="PNG")
        command = ["tesseract", "stdin", "stdout", "-l", self.tessdata_name(item.language), "--psm", "3", "tsv"]
        done = subprocess.run(command, input=png.getvalue(), capture_output=True, timeout=self.timeout_s, check=True)
        return ocr_output(words_to_lines(done.stdout.decode("utf-8", "replace")), item.width, item.height)

    def predict(self, batch: list[Any]) -> list[ImageToTextOutput]:
        items: list[ImageItem] = batch
        return [self.read(item) for item in items]


def load(spec: ModelSpec, device: str) -> Tesseract:
    installed = installed_languages()
    languages = {code: name for code, name in TESSDATA_NAMES.items() if name in installed}
    if not languages:
        raise FileNotFoundError("no Tesseract language data installed (apt-get install tesseract-ocr-eng)")
    default = spec.options.get("default_language", "en")
    return Tesseract(
        languages, default if default in languages else sorted(languages)[0], float(spec.options.get("timeout_s", 60))
    )
