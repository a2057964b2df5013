"""Remote models through a live gateway, as an operator adds them: another typeserve process
as the upstream (directly, and behind a proxy that rate-limits, breaks and goes down on cue),
compared in an experiment with the gateway's own copy of the model; the credential is read
from an environment variable and never shown; the media-URL address policy holds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.experiments.test_experiments_api import FASTTEXT, LANGUAGE_ROWS, POCKETSPHINX, start, wait_for
from tests.support.flaky_upstream import GARBAGE, FlakyProxy
from tests.support.http import FACES, VADER, assert_problem, b64
from tests.support.kserve_server import kserve_sentiment_server
from tests.support.predictor_specs import predictor_spec
from tests.support.server import LiveServer, start_server
from typeserve.experiments.bundled.audio import TESTDATA, raw_pcm_as_wav

SLEEPER = "test/1/remote-sleeper"
CREDENTIAL = "UPSTREAM_TYPESERVE_KEY"


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("upstream")
    catalog = folder / "catalog.yaml"
    sleeper = predictor_spec(SLEEPER, "Sleeper", max_batch_size=1, timeout_s=30, options={"max_batch_size": 1})
    catalog.write_text(yaml.safe_dump({"models": [sleeper]}))
    server = start_server(folder / "data", {"TYPESERVE_CATALOG_FILES": f'["{catalog}"]'})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def upstream_key(upstream: LiveServer) -> str:
    created = upstream.cli("keys", "create", "--name", "gateway")
    return created.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory, upstream_key: str) -> Iterator[LiveServer]:
    env = {"TYPESERVE_ALLOW_PRIVATE_URLS": "true", CREDENTIAL: upstream_key}
    server = start_server(tmp_path_factory.mktemp("gateway") / "data", env)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(upstream: LiveServer) -> Iterator[FlakyProxy]:
    flaky = FlakyProxy(upstream.base_url)
    flaky.start()
    yield flaky
    flaky.stop()


def add_remote(
    gateway: LiveServer,
    url: str,
    model_id: str,
    *extra: str,
    type_name: str = "text-classification",
    protocol: str = "typeserve",
) -> str:
    added = gateway.cli(
        "models", "add", url, "--runtime", "remote", "--protocol", protocol, "--type", type_name,
        "--id", model_id, "--credential-env", CREDENTIAL, *extra,
    )  # fmt: skip
    assert f"Added {model_id}" in added.stdout, added.stdout + added.stderr
    return f"/v1/ent/{model_id}"


@pytest.fixture(autouse=True)
def gateway_stays_healthy(gateway: LiveServer) -> Iterator[None]:
    yield
    assert gateway.alive()
    with gateway.client() as client:
        assert client.post(VADER, json={"input": "still serving"}).status_code == 200


def test_a_remote_typeserve_model_answers_as_its_upstream(
    gateway: LiveServer, upstream: LiveServer, upstream_key: str
) -> None:
    path = add_remote(gateway, upstream.base_url + VADER, "remote/1/vader")
    with gateway.client() as client, upstream.client() as direct:
        for text in ("I love this wonderful product!", "This is terrible and I hate it."):
            via_gateway = client.post(path, json={"input": text, "topK": 2})
            assert via_gateway.status_code == 200, via_gateway.text
            assert via_gateway.headers["X-Model-Id"] == "remote/1/vader"
            assert via_gateway.json() == direct.post(VADER, json={"input": text, "topK": 2}).json()
        listed = client.post(path, json={"input": ["good", "awful"]}).json()
        assert [r["labels"][0]["label"] for r in listed["results"]] == ["POSITIVE", "NEGATIVE"]

        card = client.get("/v1/models/remote/1/vader").json()
        assert card["runtime"] == "remote" and card["source"] == upstream.base_url + VADER
        assert CREDENTIAL in card["card"]
        shown = [
            card,
            client.get("/v1/models", params={"type": "text-classification"}).json(),
            client.get("/v1/models/remote/1/vader/openapi.json").json(),
            client.get("/v1/models/remote/1/vader/samples/python").text,
        ]
    listing = gateway.cli("models", "list", "--json").stdout
    assert "remote/1/vader" in listing
    for text in (*map(str, shown), listing, gateway.log):
        assert upstream_key not in text


def test_experiment_compares_a_local_model_with_a_remote_one(gateway: LiveServer, upstream: LiveServer) -> None:
    add_remote(gateway, f"{upstream.base_url}/v1/ent/{FASTTEXT}", "remote/1/fasttext-language-id")
    with gateway.client() as client:
        experiment_id = start(
            client,
            {
                "name": "local vs remote",
                "type": "text-classification",
                "models": [FASTTEXT, "remote/1/fasttext-language-id"],
                "dataset": {"rows": LANGUAGE_ROWS},
            },
        )
        report = wait_for(client, experiment_id)
    assert report["status"] == "completed", report
    results = {r["model"]: r for r in report["results"]}
    local, remote = results[FASTTEXT], results["remote/1/fasttext-language-id"]
    assert remote["errors"] == 0 and remote["done"] == len(LANGUAGE_ROWS)
    assert remote["metrics"]["accuracy"] == local["metrics"]["accuracy"] >= 0.8


def test_a_missing_or_wrong_credential_is_a_clear_problem(
    gateway: LiveServer, upstream: LiveServer, tmp_path: Path
) -> None:
    url = upstream.base_url + VADER
    unset = gateway.cli(
        "models", "add", url, "--runtime", "remote", "--protocol", "typeserve", "--type", "text-classification",
        "--id", "remote/1/vader-unset", "--credential-env", "NOT_SET_ANYWHERE",
    )  # fmt: skip
    assert unset.returncode == 0
    # A gateway whose credential variable holds a wrong key: the upstream's 401 is a 502.
    wrong = start_server(tmp_path / "wrong", {"TYPESERVE_ALLOW_PRIVATE_URLS": "true", CREDENTIAL: "tsk_0_wrong"})
    try:
        add_remote(wrong, url, "remote/1/vader")
        with gateway.client() as client, wrong.client() as wrong_client:
            missing = assert_problem(client.post("/v1/ent/remote/1/vader-unset", json={"input": "hi"}), 503)
            assert "$NOT_SET_ANYWHERE" in missing["detail"]
            refused = assert_problem(wrong_client.post("/v1/ent/remote/1/vader", json={"input": "hi"}), 502)
            assert refused["code"] == "upstream_auth_failed"
    finally:
        wrong.stop()
    assert "tsk_0_wrong" not in wrong.log


def test_private_upstreams_are_refused_unless_the_operator_allows_them(make_server: Any, upstream: LiveServer) -> None:
    strict = make_server()
    refused = strict.cli(
        "models", "add", upstream.base_url + VADER, "--runtime", "remote", "--protocol", "typeserve",
        "--type", "text-classification", "--id", "remote/1/vader", check=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "non-public address (127.0.0.1)" in refused.stderr and "TYPESERVE_ALLOW_PRIVATE_URLS" in refused.stderr
    with strict.client() as client:
        assert client.get("/v1/models/remote/1/vader").status_code == 404


def test_a_slow_upstream_is_a_504_and_the_gateway_goes_on(gateway: LiveServer, upstream: LiveServer) -> None:
    path = add_remote(gateway, f"{upstream.base_url}/v1/ent/{SLEEPER}", "remote/1/sleeper", "--option", "timeout_s=1")
    with gateway.client() as client:
        slow = assert_problem(client.post(path, json={"input": "sleep 3"}), 504, "upstream_timeout")
        assert "within 1 s" in slow["detail"]
        time.sleep(2.5)  # the upstream's one sleeper is still busy with the slow input
        quick = client.post(path, json={"input": "quick"})
        assert quick.status_code == 200 and quick.json()["labels"][0]["label"] == "quick"


def test_429_is_retried_after_retry_after_and_a_long_wait_is_passed_on(gateway: LiveServer, proxy: FlakyProxy) -> None:
    path = add_remote(gateway, proxy.url + VADER, "remote/1/vader-limited", "--option", "max_retry_wait_s=5")
    with gateway.client() as client:
        proxy.script[:] = ["429:1", "503"]
        started = time.monotonic()
        answered = client.post(path, json={"input": "I love it"})
        assert answered.status_code == 200, answered.text
        assert answered.json()["labels"][0]["label"] == "POSITIVE"
        assert time.monotonic() - started >= 1.0  # Retry-After: 1 was waited for
        assert [cue.split()[0] for cue in proxy.seen[-3:]] == ["429:1", "503", "pass"]
        assert "answered 429; retry 1 of 2 in 1.0 s" in gateway.log

        proxy.script[:] = ["429:120"]
        limited = client.post(path, json={"input": "again"})
        assert_problem(limited, 503, "upstream_rate_limited")
        assert limited.headers["Retry-After"] == "120"
        assert client.post(path, json={"input": "fine now"}).status_code == 200
    assert "tenant 42" not in gateway.log


def test_a_garbage_answer_is_a_502_that_does_not_pass_it_on(gateway: LiveServer, proxy: FlakyProxy) -> None:
    path = add_remote(gateway, proxy.url + VADER, "remote/1/vader-garbage")
    with gateway.client() as client:
        proxy.script[:] = ["garbage"]
        response = client.post(path, json={"input": "hello"})
        body = assert_problem(response, 502, "upstream_bad_answer")
        assert GARBAGE.decode() not in response.text and "secret-host" not in response.text
        assert "not JSON" in body["detail"]
        # A typed answer of another type is as unusable as a page.
        wrong_type = add_remote(
            gateway, f"{proxy.url}/v1/ent/{FASTTEXT}", "remote/1/fasttext-as-qa", type_name="summarization"
        )
        assert_problem(client.post(wrong_type, json={"input": "hello"}), 502, "upstream_bad_answer")


def test_the_circuit_breaker_answers_at_once_while_the_upstream_is_down(gateway: LiveServer, proxy: FlakyProxy) -> None:
    path = add_remote(
        gateway, proxy.url + VADER, "remote/1/vader-breaker",
        "--option", "breaker_failures=2", "--option", "breaker_cooldown_s=2",
    )  # fmt: skip
    with gateway.client() as client:
        assert client.post(path, json={"input": "up"}).status_code == 200
        proxy.stop()
        try:
            for _ in range(2):
                down = assert_problem(client.post(path, json={"input": "down"}), 503, "upstream_unavailable")
                assert "cannot be reached" in down["detail"]
        finally:
            proxy.start()
        # Open: the upstream is back, but is not called until the cooldown is over.
        tried = len(proxy.seen)
        opened = client.post(path, json={"input": "still down"})
        body = assert_problem(opened, 503, "upstream_unavailable")
        assert "not called again" in body["detail"] and int(opened.headers["Retry-After"]) >= 1
        assert len(proxy.seen) == tried
        time.sleep(2.2)
        recovered = client.post(path, json={"input": "back again, lovely"})
        assert recovered.status_code == 200, recovered.text
        assert len(proxy.seen) == tried + 1


def test_an_open_inference_protocol_model_served_by_kserve(gateway: LiveServer, tmp_path: Path) -> None:
    with kserve_sentiment_server(tmp_path / "kserve.log") as kserve:
        url = f"{kserve}/v2/models/sentiment"
        added = gateway.cli(
            "models", "add", url, "--runtime", "remote", "--protocol", "v2", "--type", "text-classification",
            "--id", "kserve/1/sentiment",
        )  # fmt: skip
        assert "Added kserve/1/sentiment" in added.stdout
        with gateway.client() as client:
            happy = client.post("/v1/ent/kserve/1/sentiment", json={"input": "what a wonderful, lovely day"})
            assert happy.status_code == 200, happy.text
            labels = happy.json()["labels"]
            assert [label["label"] for label in labels] == ["POSITIVE", "NEGATIVE"]
            assert labels[0]["score"] > 0.5 and sum(label["score"] for label in labels) == pytest.approx(1, abs=1e-5)
            sad = client.post("/v1/ent/kserve/1/sentiment", json={"input": "an awful, horrible mess", "topK": 1})
            assert [label["label"] for label in sad.json()["labels"]] == ["NEGATIVE"]  # topK 1
            card = client.get("/v1/models/kserve/1/sentiment").json()
            assert card["runtime"] == "remote" and card["source"] == url and "`v2` protocol" in card["card"]
    # The metadata named the input tensor; with the server gone the model is a clear 503.
    with gateway.client() as client:
        gone = assert_problem(client.post("/v1/ent/kserve/1/sentiment", json={"input": "hello"}), 503)
        assert gone["code"] == "upstream_unavailable"


def test_a_remote_media_model_gets_the_decoded_media(
    gateway: LiveServer, upstream: LiveServer, astronaut_jpeg: bytes
) -> None:
    path = add_remote(gateway, upstream.base_url + FACES, "remote/1/faces", type_name="image-object-detection")
    with gateway.client() as client, upstream.client() as direct:
        body = {"imageRef": {"Bytes": b64(astronaut_jpeg)}}
        via_gateway = client.post(path, json=body)
        assert via_gateway.status_code == 200, via_gateway.text
        assert via_gateway.json() == direct.post(FACES, json=body).json()
        assert via_gateway.json()["width"] == 512 and via_gateway.json()["detections"]


def test_a_remote_hugging_face_task_endpoint(gateway: LiveServer, upstream: LiveServer) -> None:
    url = f"{upstream.base_url}/hf-inference/models/{VADER.removeprefix('/v1/ent/')}"
    path = add_remote(gateway, url, "remote/1/vader-hf", protocol="hf")
    with gateway.client() as client, upstream.client() as direct:
        for text in ("I love it", "I hate it"):
            via_gateway = client.post(path, json={"input": text})
            assert via_gateway.status_code == 200, via_gateway.text
            assert via_gateway.json() == direct.post(VADER, json={"input": text}).json()


def test_a_remote_openai_transcription_endpoint(gateway: LiveServer, upstream: LiveServer) -> None:
    speech = raw_pcm_as_wav(TESTDATA / "goforward.raw")  # a short clip: pocketsphinx is slow on a busy machine
    path = add_remote(
        gateway, f"{upstream.base_url}/openai/v1", "remote/1/pocketsphinx-openai", "--remote-model", POCKETSPHINX,
        "--option", "timeout_s=120", type_name="automatic-speech-recognition", protocol="openai",
    )  # fmt: skip
    with gateway.client(timeout=300) as client, upstream.client(timeout=300) as direct:
        via_gateway = client.post(path, json={"audioRef": {"Bytes": b64(speech)}})
        assert via_gateway.status_code == 200, via_gateway.text
        expected = direct.post(f"/v1/ent/{POCKETSPHINX}", json={"audioRef": {"Bytes": b64(speech)}}).json()
        assert via_gateway.json()["text"] == expected["text"] == "go forward ten meters"
        assert via_gateway.json().get("segments") == expected.get("segments")
