"""Git repositories with Cog predictors, made by the tests the way their authors make them
(cog.yaml + predict.py + LICENSE, committed with git): a lexicon sentiment rater whose inputs
and answer need a mapping, an image brightness classifier that fits by convention, and
broken ones (setup fails, a missing system package, a package that does not exist)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
# The same build section for every working repository, so they share one environment.
BUILD = {"python_version": PYTHON_VERSION, "python_packages": ["pillow>=10"]}

LEXICON_PREDICTOR = """
import math
import re

from cog import BasePredictor, Input

POSITIVE = {"love", "great", "wonderful", "good", "happy", "excellent", "lovely"}
NEGATIVE = {"hate", "awful", "terrible", "bad", "sad", "horrible", "broken"}


class Predictor(BasePredictor):
    def setup(self) -> None:
        self.lexicon = {**{w: 1 for w in POSITIVE}, **{w: -1 for w in NEGATIVE}}

    def predict(
        self,
        prompt: str = Input(description="The text to rate."),
        style: str = Input(default="plain", choices=["plain", "shouting"], description="Label style."),
    ) -> dict:
        words = re.findall(r"[a-z]+", prompt.lower())
        score = sum(self.lexicon.get(w, 0) for w in words)
        positive = 1 / (1 + math.exp(-2 * score))
        names = LABELS
        return {"scores": {names[0]: positive, names[1]: 1 - positive}, "words": len(words)}
"""

BRIGHTNESS_PREDICTOR = """
from cog import BasePredictor, Input, Path
from PIL import Image, ImageStat


class Predictor(BasePredictor):
    def setup(self) -> None:
        self.levels = 255.0

    def predict(self, image: Path = Input(description="The image to rate.")) -> dict:
        mean = ImageStat.Stat(Image.open(image).convert("L")).mean[0] / self.levels
        return {"bright": mean, "dark": 1 - mean}
"""

FAILING_SETUP = """
from cog import BasePredictor


class Predictor(BasePredictor):
    def setup(self) -> None:
        raise RuntimeError("weights.bin is missing")

    def predict(self, text: str) -> str:
        return text
"""

MIT = "MIT License\n\nCopyright (c) 2026 The typeserve tests\n\nPermission is hereby granted, free of charge...\n"


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(repo), "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_repo(repo: Path, files: dict[str, str], message: str) -> str:
    """Write the files, commit them, and return the commit's hash."""
    repo.mkdir(parents=True, exist_ok=True)
    if not (repo / ".git").exists():
        git(repo, "init", "--quiet", "--initial-branch=main")
    for name, text in files.items():
        (repo / name).write_text(text, "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def cog_yaml(build: dict[str, object] = BUILD) -> str:
    return yaml.safe_dump({"build": build, "predict": "predict.py:Predictor"})


def lexicon_repo(repo: Path) -> tuple[str, str]:
    """Two commits: lowercase labels, then uppercase ones. Returns both hashes."""
    first = commit_repo(
        repo,
        {"cog.yaml": cog_yaml(), "predict.py": LEXICON_PREDICTOR.replace("LABELS", '("positive", "negative")'),
         "LICENSE": MIT},
        "lexicon rater",
    )  # fmt: skip
    second = commit_repo(
        repo, {"predict.py": LEXICON_PREDICTOR.replace("LABELS", '("POSITIVE", "NEGATIVE")')}, "uppercase labels"
    )
    return first, second


def brightness_repo(repo: Path) -> str:
    return commit_repo(repo, {"cog.yaml": cog_yaml(), "predict.py": BRIGHTNESS_PREDICTOR}, "brightness")


def failing_setup_repo(repo: Path) -> str:
    return commit_repo(repo, {"cog.yaml": cog_yaml(), "predict.py": FAILING_SETUP}, "needs weights")


def system_package_repo(repo: Path) -> str:
    build = {**BUILD, "system_packages": ["ffmpeg-typeserve-absent", "git"]}
    return commit_repo(repo, {"cog.yaml": cog_yaml(build), "predict.py": FAILING_SETUP}, "needs a system package")


def unknown_package_repo(repo: Path) -> str:
    build = {**BUILD, "python_packages": ["typeserve-package-that-does-not-exist==9.9.9"]}
    return commit_repo(repo, {"cog.yaml": cog_yaml(build), "predict.py": FAILING_SETUP}, "needs a missing package")
