"""What a Hugging Face checkpoint folder says about itself: its config (architecture, labels,
languages), its model card (README.md front matter and text) and which files it holds.
Read without loading any weights, so that `models add` can check a folder in a moment."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TORCH_WEIGHTS = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)


class CheckpointError(ValueError):
    """A folder that cannot become a typed model; the message says why, for the user."""


@dataclass
class Checkpoint:
    path: Path
    config: dict[str, Any]
    front_matter: dict[str, Any] = field(default_factory=dict)
    readme: str | None = None

    @property
    def architecture(self) -> str:
        return str(self.config["architectures"][0])

    @property
    def model_type(self) -> str:
        return str(self.config.get("model_type", ""))

    @property
    def pipeline_tag(self) -> str | None:
        tag = self.front_matter.get("pipeline_tag")
        return str(tag) if tag else None

    @property
    def license(self) -> str | None:
        value = self.front_matter.get("license")
        return str(value) if value else None

    @property
    def languages(self) -> list[str]:
        value = self.front_matter.get("language") or self.front_matter.get("languages") or []
        values = [value] if isinstance(value, str) else list(value)
        return [str(v) for v in values if v]

    @property
    def labels(self) -> list[str]:
        id2label = self.config.get("id2label") or {}
        return [str(id2label[k]) for k in sorted(id2label, key=lambda k: int(k))]

    def has_any(self, names: tuple[str, ...]) -> bool:
        return any((self.path / name).exists() for name in names)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """A model card's YAML front matter (between `---` lines) and the Markdown after it."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    try:
        front = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError:
        front = {}
    body = text[end + 4 :].lstrip("-").lstrip("\n")
    return (front if isinstance(front, dict) else {}), body


def read_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint folder; CheckpointError says what is wrong with it."""
    if not path.exists():
        raise CheckpointError(f"{path} does not exist.")
    if not path.is_dir():
        raise CheckpointError(f"{path} is not a folder; give a save_pretrained folder or a Hub model id.")
    config_file = path / "config.json"
    if not config_file.is_file():
        raise CheckpointError(f"{path} has no config.json, so it is not a Hugging Face checkpoint.")
    try:
        config = json.loads(config_file.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{config_file} is not valid JSON: {exc}") from None
    if not isinstance(config, dict) or not config.get("architectures"):
        raise CheckpointError(
            f"{config_file} names no architecture; save the model from a task class "
            "(e.g. AutoModelForSequenceClassification) so that its config lists `architectures`."
        )
    front: dict[str, Any] = {}
    readme: str | None = None
    readme_file = path / "README.md"
    if readme_file.is_file():
        front, body = split_front_matter(readme_file.read_text("utf-8", errors="replace"))
        readme = body.strip() or None
    return Checkpoint(path=path, config=config, front_matter=front, readme=readme)
