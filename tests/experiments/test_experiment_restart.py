"""A server stopped in the middle of an experiment loses no finished row: started again on
the same data directory, it resumes the run where it stopped and completes it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.support.predictor_specs import predictor_spec
from tests.support.server import LiveServer

SLEEPER = "test/1/restart-sleeper"
ROWS = 8


def test_a_restart_mid_run_keeps_finished_rows_and_resumes(
    make_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    log = tmp_path / "sleeper.log"
    catalog = tmp_path / "catalog.yaml"
    spec = predictor_spec(
        SLEEPER, "Sleeper", max_batch_size=1, timeout_s=30, options={"log": str(log), "max_batch_size": 1}
    )
    catalog.write_text(yaml.safe_dump({"models": [spec]}))
    env = {"TYPESERVE_CATALOG_FILES": f'["{catalog}"]', "TYPESERVE_EXPERIMENT_PARALLEL_ROWS": "1"}
    data_dir = tmp_path / "data"
    first = make_server(env=env, data_dir=data_dir)
    key = first.admin_key
    rows = [{"input": f"sleep 0.4 row-{i}", "label": f"sleep 0.4 row-{i}"} for i in range(ROWS)]
    with first.client() as client:
        started = client.post(
            "/v1/experiments",
            json={"name": "slow", "type": "text-classification", "models": [SLEEPER], "dataset": {"rows": rows}},
        )
        assert started.status_code == 202, started.text
        experiment_id = started.json()["id"]
        deadline = time.monotonic() + 60
        while (progress := client.get(f"/v1/experiments/{experiment_id}").json())["progress"]["done"] < 3:
            assert time.monotonic() < deadline, progress
            time.sleep(0.1)
    first.stop()

    second = make_server(env=env, data_dir=data_dir)
    with second.client(key=key) as client:
        kept = client.get(f"/v1/experiments/{experiment_id}").json()
        done_before = [row["index"] for row in kept["rowTable"] if row["outputs"][SLEEPER] is not None]
        assert len(done_before) >= 3, kept["progress"]
        deadline = time.monotonic() + 60
        while (report := client.get(f"/v1/experiments/{experiment_id}").json())["status"] != "completed":
            assert report["status"] in ("queued", "running"), report
            assert time.monotonic() < deadline, report["progress"]
            time.sleep(0.2)
    assert report["resumed"] == 1
    assert report["progress"]["done"] == ROWS
    result = report["results"][0]
    assert result["errors"] == 0 and result["metrics"]["accuracy"] == 1.0
    # Rows finished before the stop were not computed again after it.
    computed = log.read_text().splitlines()
    for index in done_before:
        assert computed.count(f"done sleep 0.4 row-{index}") == 1, computed
    for index in range(ROWS):
        assert f"done sleep 0.4 row-{index}" in computed
