"""Each language's code sample, fetched from a live server, run with the real interpreter
(bash+curl, python, node, java) against that server for one model of every type in the
catalog: the printed answer must be the type's Output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.media_files import media_file
from tests.support.server import LiveServer
from typeserve.engine.tiers import gpu_available
from typeserve.modeltypes import MODEL_TYPES
from typeserve.samples import LANGUAGES

RUNNERS = {"curl": ["bash"], "python": [sys.executable], "javascript": ["node"], "java": ["java"]}
# Text with quotes, a dollar, a backslash and a newline: each sample must escape it into JSON.
AWKWARD = 'I love it! It\'s "great" $HOME \\o/\nreally.'


def servable_model(server: LiveServer, type_name: str) -> str:
    """The first model of the type this server can run (the catalog may list models whose
    runtime is not installed here); skips the type when there is none."""
    with server.client() as client:
        models = client.get("/v1/models", params={"type": type_name}).json()["models"]
    servable = [m["id"] for m in models if m.get("status") != "unavailable"]
    if not servable:
        pytest.skip(f"no servable {type_name} model in this catalog")
    return str(servable[0])


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("type_name", list(MODEL_TYPES))
def test_sample_runs_against_live_server(
    server: LiveServer, type_name: str, language: str, tmp_path: Path, astronaut_jpeg: bytes
) -> None:
    if shutil.which(RUNNERS[language][0]) is None:
        pytest.skip(f"{RUNNERS[language][0]} is not installed")
    model_id = servable_model(server, type_name)
    with server.client() as client:
        card = client.get(f"/v1/models/{model_id}").json()
        fetched = client.get(f"/v1/models/{model_id}/samples/{language}")
    assert fetched.status_code == 200, fetched.text
    assert server.base_url in fetched.text, "the sample must use this server's URL"
    sample = tmp_path / LANGUAGES[language].filename
    sample.write_text(fetched.text)

    model_type = MODEL_TYPES[card["type"]]
    args = [str(media_file(model_type.media, tmp_path, astronaut_jpeg))] if model_type.media != "text" else []
    if model_type.media == "text" and model_type.Input.model_fields.get("input"):
        args = [AWKWARD + " [MASK]" if type_name == "fill-mask" else AWKWARD]
    env = {**os.environ, "TYPESERVE_API_KEY": server.admin_key or ""}
    env.pop("TYPESERVE_URL", None)
    result = subprocess.run(
        [*RUNNERS[language], sample.name, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"{language} sample failed:\n{result.stderr}\n{result.stdout}"
    answer = model_type.Output.model_validate(json.loads(result.stdout))
    if model_type.media == "image" and hasattr(answer, "width"):
        assert (answer.width, answer.height) == (512, 512)
    if model_id == "vader/1/sentiment":
        assert answer.labels[0].label == "POSITIVE"  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_sample_reports_errors_and_takes_the_tier(server: LiveServer, language: str, tmp_path: Path) -> None:
    """A bad key is reported as the problem (exit 1); `--tier gpuflex` reaches the server."""
    if shutil.which(RUNNERS[language][0]) is None:
        pytest.skip(f"{RUNNERS[language][0]} is not installed")
    source = httpx.get(f"{server.base_url}/v1/models/vader/1/sentiment/samples/{language}").text
    sample = tmp_path / LANGUAGES[language].filename
    sample.write_text(source)
    env = {**os.environ, "TYPESERVE_API_KEY": "tsk_0_wrong"}
    bad_key = subprocess.run(
        [*RUNNERS[language], sample.name], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert bad_key.returncode == 1 and "401" in bad_key.stderr, bad_key.stderr
    env["TYPESERVE_API_KEY"] = server.admin_key or ""
    gpu = subprocess.run(
        [*RUNNERS[language], sample.name, "--tier", "gpuflex", "Fine."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if gpu_available():
        assert gpu.returncode == 0, gpu.stderr
    else:  # no GPU and no fallback: the server's 503 tier_unavailable comes through
        assert gpu.returncode == 1 and "503" in gpu.stderr and "tier_unavailable" in gpu.stderr, gpu.stderr


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_committed_sample_runs_with_typeserve_url(server: LiveServer, language: str) -> None:
    """The browsable samples/ tree works too, pointed at a server by TYPESERVE_URL."""
    if shutil.which(RUNNERS[language][0]) is None:
        pytest.skip(f"{RUNNERS[language][0]} is not installed")
    folder = Path(__file__).resolve().parents[2] / "samples" / language / "text-classification"
    env = {**os.environ, "TYPESERVE_API_KEY": server.admin_key or "", "TYPESERVE_URL": server.base_url}
    result = subprocess.run(
        [*RUNNERS[language], LANGUAGES[language].filename, "What a wonderful day"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert MODEL_TYPES["text-classification"].Output.model_validate_json(result.stdout).labels[0].label == "POSITIVE"
