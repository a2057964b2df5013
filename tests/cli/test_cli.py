"""The `typeserve` command as a user runs it, before and beside a server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def typeserve(*args: str, data_dir: Path, env_dir: bool = False) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ}
    if env_dir:
        env["TYPESERVE_DATA_DIR"] = str(data_dir)
        argv = [sys.executable, "-m", "typeserve", *args]
    else:
        env.pop("TYPESERVE_DATA_DIR", None)
        argv = [sys.executable, "-m", "typeserve", *args, "--data-dir", str(data_dir)]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_keys_commands_work_before_any_server_ran(tmp_path: Path) -> None:
    created = typeserve(
        "keys",
        "create",
        "--name",
        "laptop",
        "--scope",
        "invoke",
        "--scope",
        "experiments",
        data_dir=tmp_path,
        env_dir=True,
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("tsk_")
    assert (tmp_path / "typeserve.db").exists()
    listed = json.loads(typeserve("keys", "list", "--json", data_dir=tmp_path).stdout)
    assert [k["scopes"] for k in listed] == [["invoke", "experiments"]]
    bad = typeserve("keys", "create", "--name", "x", "--scope", "root", data_dir=tmp_path)
    assert bad.returncode != 0 and "unknown scope" in bad.stderr
    assert typeserve("keys", "revoke", "nope", data_dir=tmp_path).returncode != 0


def test_models_list_filters_by_type(tmp_path: Path) -> None:
    listed = json.loads(
        typeserve("models", "list", "--type", "image-object-detection", "--json", data_dir=tmp_path).stdout
    )
    assert listed and {m["type"] for m in listed} == {"image-object-detection"}
    assert typeserve("models", "list", "--type", "nonsense", data_dir=tmp_path).returncode == 2


def test_infer_with_json_and_with_a_file(tmp_path: Path, astronaut_jpeg: bytes) -> None:
    text = typeserve("infer", "vader/1/sentiment", "--json", '{"input": "What a wonderful day"}', data_dir=tmp_path)
    assert text.returncode == 0, text.stderr
    assert json.loads(text.stdout)["labels"][0]["label"] == "POSITIVE"
    image = tmp_path / "astronaut.jpg"
    image.write_bytes(astronaut_jpeg)
    faces = typeserve("infer", "opencv/1/haarcascade-frontalface", "--file", str(image), data_dir=tmp_path)
    assert faces.returncode == 0, faces.stderr
    assert len(json.loads(faces.stdout)["detections"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("infer", "vader/1/sentiment", "--json", "{oops"), "not valid JSON"),
        (("infer", "vader/1/sentiment", "--json", '{"input": 3}'), "422"),
        (("infer", "no/1/model", "--json", "{}"), "404"),
    ],
)
def test_infer_errors_are_one_clear_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = typeserve(*args, data_dir=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_eval_runs_a_bundled_evaluation_as_an_experiment_and_writes_the_card_figures(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    evaluated = typeserve("eval", "vader/1/sentiment", "--json", "--results", str(results), data_dir=tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    printed = {row["metric"]: row["value"] for row in json.loads(evaluated.stdout)}
    assert printed == {"accuracy": 0.85, "macro_f1": pytest.approx(0.85, abs=0.01)}
    written = json.loads(results.read_text())["models"]["vader/1/sentiment"]
    assert [figure["metric"] for figure in written] == ["accuracy", "macro_f1"]
    assert "reviews-20" in written[0]["dataset"] and "sarcasm" in written[0]["note"]
    # The run is an ordinary experiment, listed with the user's own.
    listed = typeserve("experiment", "list", "--json", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert any(e["name"].startswith("eval: typeserve reviews-20") for e in json.loads(listed.stdout))


def test_eval_of_a_model_without_an_evaluation_says_which_have_one(tmp_path: Path) -> None:
    refused = typeserve("eval", "nobody/1/nothing", data_dir=tmp_path)
    assert refused.returncode == 2
    assert "no evaluation for nobody/1/nothing" in refused.stderr and "vader/1/sentiment" in refused.stderr
