"""Evaluations as experiments on bundled datasets: `evaluations.yaml` lists which catalog
models run on which dataset; text datasets are JSON Lines files here, image and audio datasets
are zips built from installed packages (`media.py`) into the data directory. `typeserve eval`
runs them through the experiments runner with the types' metrics and writes `results.json`,
which the default catalog reads as the models' measured quality."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

BUNDLED_DIR = Path(__file__).parent
DATASETS_DIR = BUNDLED_DIR / "datasets"
EVALUATIONS_FILE = BUNDLED_DIR / "evaluations.yaml"


@dataclass(frozen=True)
class Evaluation:
    """One bundled experiment: models of one type on one dataset."""

    dataset: str  # a file in datasets/, or the name of a media dataset built by media.py
    type: str
    models: tuple[str, ...]
    title: str  # how the dataset reads on a model card
    # What a reader should know about a model's figures here (model id -> a sentence).
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def is_media(self) -> bool:
        return not (DATASETS_DIR / self.dataset).exists()


def load_evaluations() -> list[Evaluation]:
    entries = yaml.safe_load(EVALUATIONS_FILE.read_text("utf-8"))
    return [
        Evaluation(entry["dataset"], entry["type"], tuple(entry["models"]), entry["title"], entry.get("notes", {}))
        for entry in entries
    ]
