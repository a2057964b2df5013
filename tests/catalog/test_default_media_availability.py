"""A default model whose Python package is missing is listed as unavailable with the command
that installs it, answers 503 with that command, and leaves the other models serving."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tests.support.server import LiveServer
from typeserve.experiments.bundled.audio import TESTDATA

# Loaded by Python at start-up from PYTHONPATH: makes `pocketsphinx` unimportable in the
# server process, as on a machine where it was never installed.
BLOCK_POCKETSPHINX = """
import sys


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name == "pocketsphinx" or name.startswith("pocketsphinx."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None


sys.meta_path.insert(0, _NotInstalled())
"""


def test_missing_pocketsphinx_is_reported_with_its_install_command(
    make_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCK_POCKETSPHINX)
    pythonpath = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    server = make_server(env={"PYTHONPATH": pythonpath})
    with server.client() as client:
        card = client.get("/v1/models/cmu/1/pocketsphinx-en-us").json()
        assert card["status"] == "unavailable", card
        assert card["install"] == "pip install pocketsphinx"

        speech = (TESTDATA / "librivox" / "sense_and_sensibility_01_austen_64kb-0930.wav").read_bytes()
        response = client.post(
            "/v1/ent/cmu/1/pocketsphinx-en-us", content=speech, headers={"Content-Type": "audio/wav"}
        )
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "model_unavailable"
        assert "pip install pocketsphinx" in response.json()["detail"]
        assert "Retry-After" in response.headers

        still_serving = client.post("/v1/ent/webrtc/1/vad", content=speech, headers={"Content-Type": "audio/wav"})
        assert still_serving.status_code == 200, still_serving.text
        assert still_serving.json()["labels"][0]["label"] == "speech"
