"""A sample file for Try it, one click away on an image or audio model's card: scikit-image's
astronaut photograph and a pocketsphinx-testdata recording, both installed with typeserve's
dependencies (a 404 naming the package when one is missing)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from typeserve.console.pages import render, signed_in

router = APIRouter(include_in_schema=False)

POCKETSPHINX_RECORDING = Path("/usr/share/pocketsphinx/test/data/cards/001.wav")
MEDIA_TYPES = {"image": "image/png", "audio": "audio/wav"}
PACKAGES = {"image": "scikit-image (pip)", "audio": "pocketsphinx-testdata (Debian)"}


def sample_file(media: str) -> Path | None:
    if media == "audio":
        return POCKETSPHINX_RECORDING if POCKETSPHINX_RECORDING.is_file() else None
    found = importlib.util.find_spec("skimage")
    for folder in (found.submodule_search_locations or []) if found else []:
        path = Path(folder) / "data" / "astronaut.png"
        if path.is_file():
            return path
    return None


@router.get("/console/sample-media/{media}")
async def sample_media(media: str, request: Request) -> Response:
    viewer = await signed_in(request)
    path = sample_file(media) if media in MEDIA_TYPES else None
    if path is None:
        detail = f"No sample {media} here: install {PACKAGES[media]}." if media in PACKAGES else "No such sample."
        return render(request, "message.html", {"viewer": viewer, "title": "No sample", "message": detail}, status=404)
    return FileResponse(path, media_type=MEDIA_TYPES[media], filename=f"sample-{path.name}")
