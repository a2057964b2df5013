"""Cog predictors from git repositories through a live server, as a user adds them: made and
committed in the test, checked out at a pinned commit, run in a virtualenv that typeserve
builds from cog.yaml (PyPI's `cog` package and the repository's python_packages), mapped to
their type, shown like any other model; broken ones are refused at `models add`."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.console.test_console_sessions import create_user, signed_in_client
from tests.support import cog_repos
from tests.support.http import assert_problem, b64
from tests.support.server import LiveServer, start_server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("cog") / "data")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("repos")


def add(live: LiveServer, *args: str, check: bool = True) -> tuple[float, str, str]:
    started = time.perf_counter()
    done = live.cli("models", "add", *args, check=False)
    seconds = time.perf_counter() - started
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return seconds, done.stdout, done.stderr


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_text_predictor_at_a_pinned_commit_with_a_mapping(live: LiveServer, repos: Path) -> None:
    first, _latest = cog_repos.lexicon_repo(repos / "lexicon")
    source = f"git+file://{repos / 'lexicon'}@{first}"
    cold, out, _ = add(live, source, "--type", "text-classification", "--input", "text=prompt",
                       "--output", "labels=scores", "--id", "cog/1/lexicon")  # fmt: skip
    assert "Added cog/1/lexicon" in one_line(out)
    # The same repository again: checkout and environment come from the cache.
    warm, _, _ = add(live, source, "--type", "text-classification", "--input", "text=prompt",
                     "--output", "labels=scores", "--id", "cog/1/lexicon", "--replace")  # fmt: skip
    print(f"models add of the test Cog repository: cold {cold:.1f} s, warm {warm:.1f} s")
    assert len(list((live.data_dir / "cache" / "cog" / "venvs").glob("*/bin/python"))) == 1

    with live.client() as client:
        happy = client.post("/v1/ent/cog/1/lexicon", json={"input": "I love this wonderful, lovely thing"})
        assert happy.status_code == 200, happy.text
        labels = happy.json()["labels"]
        # The pinned (first) commit's lowercase labels, not the latest commit's.
        assert [label["label"] for label in labels] == ["positive", "negative"]
        assert labels[0]["score"] > 0.9
        listed = client.post("/v1/ent/cog/1/lexicon", json={"input": ["awful and sad", "good"], "topK": 1})
        assert [r["labels"][0]["label"] for r in listed.json()["results"]] == ["negative", "positive"]

        card = client.get("/v1/models/cog/1/lexicon").json()
        assert card["runtime"] == "cog" and card["license"] == "MIT"
        assert card["source"] == f"file://{repos / 'lexicon'}@{first}"
        assert first in card["card"] and "| prompt | string | required | input |" in card["card"]
        assert "| style | string | 'plain' |" in card["card"] and "MIT License" in card["card"]
        assert client.get("/v1/models/cog/1/lexicon/openapi.json").status_code == 200
        sample = client.get("/v1/models/cog/1/lexicon/samples/curl")
        assert sample.status_code == 200 and "cog/1/lexicon" in sample.text
        assert "cog/1/lexicon" in [m["id"] for m in client.get("/v1/models", params={"q": "cog"}).json()["models"]]

    create_user(live, "cog-viewer", "a long enough password")
    console, _ = signed_in_client(live, "cog-viewer", "a long enough password")
    page = console.get("/models/cog/1/lexicon")
    console.close()
    assert page.status_code == 200 and first in page.text and "Cog predictor" in page.text


def test_an_image_predictor_by_convention_from_a_local_repository(live: LiveServer, repos: Path) -> None:
    cog_repos.brightness_repo(repos / "brightness")
    add(live, str(repos / "brightness"), "--type", "image-classification")
    white, black = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (40, 30), (250, 250, 250)).save(white, "PNG")
    Image.new("RGB", (40, 30), (5, 5, 5)).save(black, "JPEG")
    with live.client() as client:
        bright = client.post("/v1/ent/cog/1/brightness", json={"imageRef": {"Bytes": b64(white.getvalue())}})
        assert bright.status_code == 200, bright.text
        assert bright.json()["labels"][0]["label"] == "bright" and bright.json()["labels"][0]["score"] > 0.9
        dark = client.post("/v1/ent/cog/1/brightness", content=black.getvalue(), headers={"Content-Type": "image/jpeg"})
        assert dark.status_code == 200 and dark.json()["labels"][0]["label"] == "dark"
        assert_problem(client.post("/v1/ent/cog/1/brightness", json={"imageRef": {"Bytes": "bm90IGFuIGltYWdl"}}), 400)
        assert client.get("/v1/models/cog/1/brightness").json()["license"] == "unknown"


def test_an_ambiguous_or_unmappable_predictor_is_refused_with_what_to_say(live: LiveServer, repos: Path) -> None:
    first, _ = cog_repos.lexicon_repo(repos / "lexicon-again")
    _, _, unmapped = add(live, f"git+file://{repos / 'lexicon-again'}", "--type", "text-classification", check=False)
    assert "the answer is not a LabelsOutput" in one_line(unmapped) and "scores" in one_line(unmapped)
    _, _, wrong_input = add(
        live, f"git+file://{repos / 'lexicon-again'}@{first}", "--type", "text-classification", "--input",
        "text=nope", check=False,
    )  # fmt: skip
    assert "the predictor has no input 'nope'; its inputs: prompt (string), style (string)" in one_line(wrong_input)
    _, _, wrong_type = add(live, str(repos / "lexicon-again"), "--type", "image-classification", check=False)
    assert "no file (Path) input for the type's image" in one_line(wrong_type)


def test_predictors_that_do_not_build_or_set_up_are_refused(live: LiveServer, repos: Path) -> None:
    cog_repos.failing_setup_repo(repos / "needs-weights")
    _, _, setup = add(live, str(repos / "needs-weights"), "--type", "text-classification", check=False)
    assert "the predictor does not start: setup() failed: RuntimeError: weights.bin is missing" in one_line(setup)
    assert "Traceback" not in setup

    cog_repos.system_package_repo(repos / "needs-ffmpeg")
    _, _, system = add(live, str(repos / "needs-ffmpeg"), "--type", "text-classification", check=False)
    assert "system packages that are not installed: ffmpeg-typeserve-absent " in one_line(system)

    cog_repos.unknown_package_repo(repos / "needs-a-ghost")
    _, _, package = add(live, str(repos / "needs-a-ghost"), "--type", "text-classification", check=False)
    assert "installing cog.yaml's python_packages failed" in one_line(package)
    assert "typeserve-package-that-does-not-exist" in one_line(package)

    with live.client() as client:
        for name in ("needs-weights", "needs-ffmpeg", "needs-a-ghost"):
            assert client.get(f"/v1/models/cog/1/{name}").status_code == 404
