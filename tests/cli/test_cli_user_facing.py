"""The CLI as a new user meets it: which data directory a writing command used is printed,
ids are never cut in tables, and a user's mistake is one line with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def typeserve(*args: str, env: dict[str, str] | None = None, columns: int = 80) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if name != "TYPESERVE_DATA_DIR"}
    environment.update({"COLUMNS": str(columns), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "typeserve", *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_writing_commands_name_the_data_dir_from_the_environment_or_the_flag(tmp_path: Path) -> None:
    from_env = tmp_path / "from-env"
    created = typeserve("keys", "create", "--name", "ci", env={"TYPESERVE_DATA_DIR": str(from_env)})
    assert created.returncode == 0, created.stderr
    assert f"data dir: {from_env}" in created.stderr
    flagged = tmp_path / "flagged"
    revoked = typeserve("keys", "revoke", "nope", "--data-dir", str(flagged), env={"TYPESERVE_DATA_DIR": str(from_env)})
    assert f"data dir: {flagged}" in revoked.stderr
    assert revoked.returncode == 2
    listed = typeserve("keys", "list", "--json", env={"TYPESERVE_DATA_DIR": str(from_env)})
    assert '"name": "ci"' in listed.stdout


def test_key_ids_are_printed_whole_in_a_narrow_table(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    for number in range(2):
        assert typeserve("keys", "create", "--name", f"a-rather-long-key-name-{number}", *data).returncode == 0
    ids = [
        line.split('"')[3] for line in typeserve("keys", "list", "--json", *data).stdout.splitlines() if '"id"' in line
    ]
    table = typeserve("keys", "list", *data, columns=60).stdout
    for key_id in ids:
        assert key_id in table, table


def test_a_missing_file_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    done = typeserve("infer", "opencv/1/haarcascade-frontalface", "--file", str(tmp_path / "face.jpg"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "face.jpg" in done.stderr and "Traceback" not in done.stderr


def test_an_unknown_model_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    done = typeserve("infer", "nobody/1/nothing", "--json", '{"input": "x"}', "--data-dir", str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("error:")], done.stderr
