"""The engine under load and failure, against a live server: batching, crashes in worker
processes, backpressure, deadlines, disconnects, the memory budget, metrics. Each runs on the
local engine and on the Ray engine (a real Ray cluster), where the behaviour is the same."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support.http import VADER, assert_problem
from tests.support.predictor_specs import predictor_spec
from tests.support.ray_cluster import engine_env
from tests.support.server import LiveServer


@pytest.fixture(scope="module", params=["local", "ray"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def engine_server(tmp_path_factory: pytest.TempPathFactory, engine: str) -> LiveServer:
    from tests.support.server import start_server

    folder = tmp_path_factory.mktemp("engine")
    log = folder / "sleeper.log"
    catalog = folder / "catalog.yaml"
    catalog.write_text(
        yaml.safe_dump(
            {
                "models": [
                    predictor_spec(
                        "test/1/batch-reporter",
                        "BatchReporter",
                        max_batch_size=8,
                        options={"delay_s": 0.2, "max_batch_size": 8},
                    ),
                    predictor_spec("test/1/crasher", "Crasher", in_process=False),
                    predictor_spec(
                        "test/1/sleeper",
                        "Sleeper",
                        max_batch_size=1,
                        max_queue=3,
                        timeout_s=1.5,
                        options={"log": str(log), "max_batch_size": 1},
                    ),
                    predictor_spec(
                        "test/1/patient-sleeper",
                        "Sleeper",
                        max_batch_size=1,
                        timeout_s=30,
                        options={"log": str(log), "max_batch_size": 1},
                    ),
                    predictor_spec("test/1/hog-a", "MemoryHog", options={"megabytes": 150}),
                    predictor_spec("test/1/hog-b", "MemoryHog", options={"megabytes": 150}),
                ]
            }
        )
    )
    live = start_server(
        folder / "data",
        {"TYPESERVE_CATALOG_FILES": f'["{catalog}"]', "TYPESERVE_MEMORY_BUDGET_MB": "250", **engine_env(engine)},
    )
    live.sleeper_log = log  # type: ignore[attr-defined]
    if engine == "ray":
        # Deploy before the timed tests: a first deployment takes seconds on a busy machine.
        with live.client(timeout=300) as client:
            for model_id in ("test/1/batch-reporter", "test/1/crasher", "test/1/sleeper", "test/1/patient-sleeper"):
                assert client.post(f"/v1/models/{model_id}/load").status_code == 200
    yield live
    live.stop()


def logged_with_request_id(server: LiveServer, request_id: str, level: str) -> bool:
    """Whether the server logged a JSON line at `level` for that request (the log arrives
    through a pipe, so give it a moment)."""
    for _ in range(40):
        entries = [json.loads(line) for line in server.log.splitlines() if line.startswith("{")]
        if any(e.get("requestId") == request_id and e["level"] == level for e in entries):
            return True
        time.sleep(0.05)
    return False


async def post_many(server: LiveServer, path: str, bodies: list[dict], timeout: float = 30) -> list[httpx.Response]:
    headers = {"Authorization": f"Bearer {server.admin_key}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=timeout) as client:
        return list(await asyncio.gather(*(client.post(path, json=body) for body in bodies)))


def test_concurrent_callers_are_batched_and_get_their_own_answers(engine_server: LiveServer) -> None:
    bodies = [{"input": f"caller-{i}"} for i in range(24)]
    responses = asyncio.run(post_many(engine_server, "/v1/ent/test/1/batch-reporter", bodies))
    labels = [r.json()["labels"][0]["label"] for r in responses]
    assert [label.split("|")[0] for label in labels] == [b["input"] for b in bodies]
    sizes = [int(label.split("batch=")[1]) for label in labels]
    assert max(sizes) > 1 and max(sizes) <= 8
    metrics = engine_server.client().get("/metrics").text
    assert 'typeserve_batch_size_bucket{le="1.0",model="test/1/batch-reporter",tier="cpuflex"}' in metrics


def test_a_refused_input_among_concurrent_callers_fails_only_its_own_caller(engine_server: LiveServer) -> None:
    # Concurrent requests share batches (and, on Ray, the gateway's calls to the replica).
    bodies = [{"input": f"refuse-{i}" if i % 4 == 0 else f"caller-{i}"} for i in range(16)]
    responses = asyncio.run(post_many(engine_server, "/v1/ent/test/1/batch-reporter", bodies))
    for body, response in zip(bodies, responses, strict=True):
        if body["input"].startswith("refuse"):
            assert response.status_code == 400 and response.json()["code"] == "refused_input", response.text
            assert body["input"] in response.json()["detail"]
        else:
            assert response.status_code == 200, response.text
            assert response.json()["labels"][0]["label"].split("|")[0] == body["input"]


def test_list_inputs_join_the_same_batches(engine_server: LiveServer) -> None:
    with engine_server.client() as client:
        response = client.post("/v1/ent/test/1/batch-reporter", json={"input": ["a", "b", "c"]})
    labels = [r["labels"][0]["label"] for r in response.json()["results"]]
    assert labels == ["a|batch=3", "b|batch=3", "c|batch=3"]


def test_a_crashing_worker_fails_only_its_requests_and_recovers(engine_server: LiveServer) -> None:
    with engine_server.client() as client:
        first = client.post("/v1/ent/test/1/crasher", json={"input": "hello"})
        assert first.status_code == 200, first.text
        crashed = client.post("/v1/ent/test/1/crasher", json={"input": "crash"})
        body = assert_problem(crashed, 503, "worker_crashed")
        assert "SIGSEGV" in body["detail"]
        assert logged_with_request_id(engine_server, body["requestId"], "warning")
        assert client.post(VADER, json={"input": "still fine"}).status_code == 200
        again = client.post("/v1/ent/test/1/crasher", json={"input": "hello"})
        assert again.status_code == 200
        assert again.json()["labels"][0]["label"] != first.json()["labels"][0]["label"]  # a new worker pid
        card = client.get("/v1/models/test/1/crasher").json()
        assert card["isolated"] is True
        assert "typeserve_worker_crashes_total" in client.get("/metrics").text


def test_a_full_queue_answers_503_overloaded_at_once(engine_server: LiveServer) -> None:
    bodies = [{"input": "sleep 1"}] + [{"input": f"queued {i}"} for i in range(6)]
    started = time.monotonic()
    responses = asyncio.run(post_many(engine_server, "/v1/ent/test/1/sleeper", bodies))
    statuses = [r.status_code for r in responses]
    assert 503 in statuses and 200 in statuses, statuses
    refused = next(r for r in responses if r.status_code == 503)
    assert refused.json()["code"] == "overloaded" and refused.headers["Retry-After"]
    assert time.monotonic() - started < 10


def test_past_the_deadline_is_504_and_the_work_is_dropped(engine_server: LiveServer) -> None:
    log: Path = engine_server.sleeper_log  # type: ignore[attr-defined]

    async def scenario() -> list[httpx.Response]:
        headers = {"Authorization": f"Bearer {engine_server.admin_key}"}
        async with httpx.AsyncClient(base_url=engine_server.base_url, headers=headers, timeout=30) as client:
            busy = asyncio.create_task(client.post("/v1/ent/test/1/sleeper", json={"input": "sleep 2.5"}))
            await asyncio.sleep(0.3)  # the model is busy; the victim waits in the queue past its deadline
            victim = await client.post("/v1/ent/test/1/sleeper", json={"input": "deadline-victim"})
            return [await busy, victim]

    responses = asyncio.run(scenario())
    assert [r.status_code for r in responses] == [504, 504]
    assert responses[0].json()["code"] == "inference_timeout"
    time.sleep(1.5)
    assert "start deadline-victim" not in log.read_text()


def test_a_client_that_disconnects_cancels_its_queued_work(engine_server: LiveServer) -> None:
    log: Path = engine_server.sleeper_log  # type: ignore[attr-defined]

    async def scenario() -> int:
        headers = {"Authorization": f"Bearer {engine_server.admin_key}"}
        async with httpx.AsyncClient(base_url=engine_server.base_url, headers=headers, timeout=30) as client:
            busy = asyncio.create_task(client.post("/v1/ent/test/1/patient-sleeper", json={"input": "sleep 2"}))
            await asyncio.sleep(0.3)
            with pytest.raises(httpx.ReadTimeout):
                await client.post("/v1/ent/test/1/patient-sleeper", json={"input": "abandoned-b"}, timeout=0.5)
            return (await busy).status_code

    assert asyncio.run(scenario()) == 200
    time.sleep(0.5)
    assert "done sleep 2" in log.read_text()
    assert "abandoned-b" not in log.read_text()


# The memory budget is the local engine's; Ray places replicas by the resources they ask for.
@pytest.mark.parametrize("engine", ["local"], indirect=True)
def test_least_recently_used_model_is_unloaded_over_the_memory_budget(engine_server: LiveServer) -> None:
    with engine_server.client() as client:
        assert client.post("/v1/ent/test/1/hog-a", json={"input": "x"}).status_code == 200
        assert client.get("/v1/models/test/1/hog-a").json()["status"] == "loaded"
        assert client.post("/v1/ent/test/1/hog-b", json={"input": "x"}).status_code == 200
        assert client.get("/v1/models/test/1/hog-b").json()["status"] == "loaded"
        assert client.get("/v1/models/test/1/hog-a").json()["status"] == "installed"  # unloaded, can reload


def test_admin_load_and_unload(engine_server: LiveServer) -> None:
    with engine_server.client() as admin:
        invoker = admin.post("/v1/apikeys", json={"name": "invoker"}).json()["secret"]
        with engine_server.client(invoker) as client:
            assert_problem(client.post("/v1/models/vader/1/sentiment/load"), 403)
        loaded = admin.post("/v1/models/vader/1/sentiment/load")
        assert loaded.status_code == 200 and loaded.json()["status"] == "loaded"
        unloaded = admin.post("/v1/models/vader/1/sentiment/unload").json()
        assert unloaded["unloaded"] is True and unloaded["status"] == "installed"
        assert_problem(admin.post("/v1/models/none/1/such/load"), 404)


def test_metrics_expose_the_serving_figures(engine_server: LiveServer) -> None:
    with engine_server.client() as client:
        client.post(VADER, json={"input": "x"})
        text = client.get("/metrics").text
    for name in (
        "typeserve_requests_total",
        "typeserve_request_duration_seconds_bucket",
        "typeserve_queue_wait_seconds",
        "typeserve_batch_size_bucket",
        "typeserve_queue_depth",
        "typeserve_model_loaded",
    ):
        assert name in text, name
    assert 'typeserve_requests_total{model="vader/1/sentiment",status="200",tier="cpuflex"}' in text


def test_gpuflex_fallback_tier_on_this_engine(make_server: Callable[..., LiveServer], engine: str) -> None:
    live = make_server(env={"TYPESERVE_GPUFLEX_FALLBACK": "cpuflex", **engine_env(engine)})
    with live.client() as client:
        response = client.post(f"{VADER}?serviceTier=gpuflex", json={"input": "x"})
    assert response.headers["X-Service-Tier"] == "cpuflex"


def test_graceful_shutdown_finishes_in_flight_work(
    make_server: Callable[..., LiveServer], tmp_path: Path, engine: str
) -> None:
    import signal

    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(yaml.safe_dump({"models": [predictor_spec("test/1/sleeper", "Sleeper", timeout_s=30)]}))
    live = make_server(env={"TYPESERVE_CATALOG_FILES": f'["{catalog}"]', **engine_env(engine)})

    async def scenario() -> httpx.Response:
        headers = {"Authorization": f"Bearer {live.admin_key}"}
        async with httpx.AsyncClient(base_url=live.base_url, headers=headers, timeout=30) as client:
            in_flight = asyncio.create_task(client.post("/v1/ent/test/1/sleeper", json={"input": "sleep 2"}))
            await asyncio.sleep(0.7)
            live.process.send_signal(signal.SIGTERM)
            return await in_flight

    response = asyncio.run(scenario())
    assert response.status_code == 200 and response.json()["labels"][0]["label"] == "sleep 2"
    # uvicorn finishes the shutdown, then re-raises the signal it caught
    assert live.process.wait(timeout=30) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in live.log


def test_a_model_thread_stuck_long_past_its_deadline_no_longer_blocks_its_queue(
    engine_server: LiveServer, engine: str
) -> None:
    with engine_server.client() as client:
        stuck = client.post("/v1/ent/test/1/sleeper", json={"input": "sleep 8"})
        assert stuck.status_code == 504, stuck.text  # at its 1.5 s deadline
        time.sleep(2.0)  # past the deadline by a whole timeout: its thread is left behind
        after = client.post("/v1/ent/test/1/sleeper", json={"input": "after-the-overrun"})
    assert after.status_code == 200, after.text
