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
