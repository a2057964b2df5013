"""Apertium rule-based machine translation as the translation type: each text is piped
through `apertium -u -d DATA_DIR MODE` as a subprocess (argument list, never a
shell; the text on stdin, so nothing in it is ever parsed as an option). The deadline is the
engine's, not this runtime's.

`-u` drops Apertium's `*`, `#` and `@` marks on unknown or untranslatable words: the wire
promises a translation, not a diagnostic, and the marks would leak into BLEU and into
users' text. Unknown words are still copied through as they are. The default `txt` format
is kept on purpose: `-f line` drops the final full stop of the text."""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import Problem, bad_request, upstream_failed
from typeserve.modeltypes.translation import TranslationOutput
from typeserve.runtimes.base import LoadedModel

DEFAULT_DATA_DIR = "/usr/share/apertium"
PARALLEL_PIPELINES = 4
RUNS_OF_SPACES = re.compile(r"[ \t]{2,}")


def translation_failed(detail: str) -> Problem:
    return upstream_failed("translation_failed", "The translator failed", detail)


class ApertiumTranslator(LoadedModel):
    max_batch_size = 16

    def __init__(self, mode: str, data_dir: str, source: str, target: str) -> None:
        executable = shutil.which("apertium")
        if executable is None:
            raise FileNotFoundError("the apertium command is not on PATH")
        self.command = [executable, "-u", "-d", data_dir, mode]
        self.mode = mode
        self.source = source
        self.target = target

    def check_languages(self, item: Any) -> None:
        """A request that names languages must name this mode's: a model translates one way."""
        for field, expected in (("sourceLanguage", self.source), ("targetLanguage", self.target)):
            asked = getattr(item, field, None)
            if asked is not None and asked != expected:
                raise bad_request(
                    "unsupported_language",
                    f"Apertium mode {self.mode} translates {self.source} to {self.target}; "
                    f"{field} {asked!r} is not supported by this model.",
                )

    def translate(self, text: str) -> str:
        # No timeout of its own: the engine's deadline answers the caller. The engine cannot yet
        # stop this subprocess when the deadline passes (a pipeline that hangs keeps its worker
        # thread until it ends); stopping work at the deadline is the engine's job (issue 12).
        try:
            completed = subprocess.run(self.command, input=text, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise translation_failed(f"apertium could not be started: {exc}") from None
        errors = (completed.stderr or "").strip()
        # The apertium script reports its pipeline's last exit status only, so a broken
        # pipeline can exit 0 with nothing on stdout and the cause on stderr.
        if completed.returncode != 0 or (errors and not completed.stdout.strip()):
            message = errors.splitlines()[-1] if errors else "no message"
            raise translation_failed(f"apertium {self.mode} failed (exit {completed.returncode}): {message}")
        # Apertium pads sentence ends with extra spaces and adds a final newline.
        return RUNS_OF_SPACES.sub(" ", completed.stdout).strip()

    def predict(self, batch: list[Any]) -> list[TranslationOutput]:
        for item in batch:
            self.check_languages(item)
        # Each text is its own apertium pipeline (about ten processes that mostly wait on one
        # another), so a batch runs a few at once; the first failure is raised.
        with ThreadPoolExecutor(max_workers=min(PARALLEL_PIPELINES, len(batch))) as pool:
            translations = list(pool.map(self.translate, [item.input for item in batch]))
        return [
            TranslationOutput(translation=text, sourceLanguage=self.source, targetLanguage=self.target)
            for text in translations
        ]


def load(spec: ModelSpec, device: str) -> ApertiumTranslator:
    options = spec.options
    return ApertiumTranslator(
        mode=options["mode"],
        data_dir=options.get("data_dir", DEFAULT_DATA_DIR),
        source=options["source_language"],
        target=options["target_language"],
    )
