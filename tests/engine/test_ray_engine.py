"""What only the Ray engine does, against a real Ray cluster on loopback: every model type served
by Ray Serve replicas, a replica that dies and is replaced, gpuflex on a cluster without GPUs,
load/unload as deploy/delete, two stateless gateways on one PostgreSQL database, and Ray's own
processes staying on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.runtimes.test_default_text_models import ARTICLE
from tests.support.http import assert_problem
from tests.support.predictor_specs import predictor_spec
from tests.support.ray_cluster import ray_engine_env
from tests.support.server import LiveServer, start_server
from tests.support.services import fresh_postgres_database
from tests.support.tiny_models import tiny_model

SPEECH = Path("/usr/share/pocketsphinx/test/data/goforward.raw")


@pytest.fixture(scope="module")
def ray_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("ray-engine")
    catalog = folder / "catalog.yaml"
    catalog.write_text(yaml.safe_dump({"models": [predictor_spec("test/1/replica-crasher", "Crasher")]}))
    live = start_server(folder / "data", {"TYPESERVE_CATALOG_FILES": f'["{catalog}"]', **ray_engine_env()})
    yield live
    live.stop()


def speech_wav() -> bytes:
    from typeserve.experiments.bundled.audio import raw_pcm_as_wav

    return raw_pcm_as_wav(SPEECH)


def check_labels(body: dict[str, Any]) -> None:
    assert body["labels"] and all(0.0 <= label["score"] <= 1.0 for label in body["labels"])


# One default model of every type: (model id, body or raw media, content type, what the answer shows).
EVERY_TYPE: list[tuple[str, str, Any]] = [
    ("vader/1/sentiment", "text", lambda b: b["labels"][0]["label"] == "POSITIVE"),
    ("cmu/1/en-us-trigram", "mask", lambda b: bool(b["predictions"])),
    ("summa/1/textrank", "article", lambda b: 0 < len(b["summary"]) < len(ARTICLE)),
    ("apertium/1/eng-spa", "text", lambda b: b["translation"] and b["targetLanguage"] == "es"),
    ("sentence-transformers/1/minilm-answer-selection", "question", lambda b: "Paris" in b["answers"][0]["answer"]),
    ("yahoo/1/open-nsfw", "image", lambda b: check_labels(b) is None),
    ("opencv/1/haarcascade-frontalface", "image", lambda b: len(b["detections"]) >= 1),
    ("webrtc/1/vad", "audio", lambda b: check_labels(b) is None),
    ("cmu/1/pocketsphinx-en-us", "audio", lambda b: "forward" in b["text"]),
    ("tesseract/1/tesseract-eng", "page", lambda b: "markers of the coins" in b["text"]),
    ("espeak/1/espeak-ng", "speech", lambda b: b["contentType"] == "audio/wav" and b["durationS"] > 0.3),
    ("sentence-transformers/1/all-minilm-l6-v2-int8", "text", lambda b: b["dimensions"] == len(b["embedding"]) == 384),
    ("spacy/1/en-core-web-sm", "entities", lambda b: any(e["word"] == "Paris" for e in b["entities"])),
    ("sentence-transformers/1/minilm-zero-shot", "candidates", lambda b: b["labels"][0]["label"] == "weather"),
]


def request_for(kind: str, astronaut_jpeg: bytes) -> dict[str, Any]:
    if kind == "image":
        return {"content": astronaut_jpeg, "headers": {"Content-Type": "image/jpeg"}}
    if kind == "audio":
        return {"content": speech_wav(), "headers": {"Content-Type": "audio/wav"}}
    if kind == "page":
        from typeserve.experiments.bundled.ocr_data import scikit_image_page

        return {"content": scikit_image_page().png, "headers": {"Content-Type": "image/png"}}
    bodies = {
        "text": {"input": "I love this wonderful day."},
        "mask": {"input": "I would like a cup of [MASK], please."},
        "article": {"input": ARTICLE},
        "speech": {"input": "Go forward ten meters."},
        "entities": {"input": "Marie Curie moved to Paris in 1891."},
        "candidates": {"input": "It will rain all day tomorrow.", "labels": ["weather", "sports", "cooking"]},
        "question": {
            "question": "What is the capital of France?",
            "context": "Paris is the capital of France. Berlin is the capital of Germany.",
        },
    }
    return {"json": bodies[kind]}


def test_a_default_model_of_every_type_is_served_by_ray_replicas(ray_server: LiveServer, astronaut_jpeg: bytes) -> None:
    types = set()
    with ray_server.client(timeout=180) as client:
        for model_id, kind, shows in EVERY_TYPE:
            response = client.post(f"/v1/ent/{model_id}", **request_for(kind, astronaut_jpeg))
            assert response.status_code == 200, (model_id, response.text)
            assert response.headers["X-Service-Tier"] == "cpuflex" and response.headers["X-Model-Id"] == model_id
            assert shows(response.json()), (model_id, response.json())
            card = client.get(f"/v1/models/{model_id}").json()
            assert card["status"] == "loaded" and card["isolated"] is True  # in a Ray replica, not the gateway
            assert card["devices"] == {"cpuflex": "cpu"}  # as the replica reports it
            types.add(card["type"])
            # Unload as we go: the machine is small, and unload is how an operator frees a pool.
            assert client.post(f"/v1/models/{model_id}/unload").json()["unloaded"] is True
    assert len(types) == len(EVERY_TYPE)
    from typeserve.modeltypes import MODEL_TYPES

    assert types == set(MODEL_TYPES)


def test_a_replica_that_dies_fails_only_its_requests_and_ray_replaces_it(ray_server: LiveServer) -> None:
    model = "/v1/ent/test/1/replica-crasher"  # in process: the crash takes the whole replica down
    with ray_server.client() as client:
        first = client.post(model, json={"input": "hello"})
        assert first.status_code == 200, first.text
        crashed = client.post(model, json={"input": "crash"})
        body = assert_problem(crashed, 503, "worker_crashed")
        assert "replica" in body["detail"] and crashed.headers["Retry-After"]
        assert client.post("/v1/ent/vader/1/sentiment", json={"input": "still fine"}).status_code == 200
        again = client.post(model, json={"input": "hello"})  # waits for the replacement replica
        assert again.status_code == 200, again.text
        assert again.json()["labels"][0]["label"] != first.json()["labels"][0]["label"]  # another process
        assert 'typeserve_worker_crashes_total{model="test/1/replica-crasher",tier="cpuflex"} 1.0' in (
            client.get("/metrics").text
        )


def test_gpuflex_on_a_cluster_without_gpus_is_503_tier_unavailable(ray_server: LiveServer) -> None:
    with ray_server.client() as client:
        response = client.post("/v1/ent/google/1/efficientnet-lite0?serviceTier=gpuflex", json={"input": "x"})
        body = assert_problem(response, 503, "tier_unavailable")
        assert "no GPU" in body["detail"]
        # A CPU-only model never offers gpuflex, GPU or not.
        card = client.get("/v1/models/silero/1/vad").json()
        assert list(card["apiUrls"]) == ["cpuflex"]


def test_load_deploys_and_unload_deletes(ray_server: LiveServer) -> None:
    with ray_server.client() as client:
        loaded = client.post("/v1/models/langid/1/language-identification/load")
        assert loaded.status_code == 200 and loaded.json()["status"] == "loaded", loaded.text
        assert loaded.json()["loadSeconds"] > 0
        unloaded = client.post("/v1/models/langid/1/language-identification/unload").json()
        assert unloaded["unloaded"] is True and unloaded["status"] == "installed"
        again = client.post("/v1/models/langid/1/language-identification/unload").json()
        assert again["unloaded"] is False


def ray_sockets() -> list[tuple[str, str, str]]:
    """(process, local address, peer address) of every TCP socket a Ray process holds."""
    listing = subprocess.run(["ss", "-Htanp"], capture_output=True, text=True, check=True).stdout
    sockets = []
    for line in listing.splitlines():
        fields = line.split()
        names = re.findall(r'\(\("([^"]+)"', line)
        if len(fields) >= 5 and names and re.search(r"ray|gcs_server|raylet|Serve", names[0]):
            sockets.append((names[0], fields[3], fields[4]))
    return sockets


def host_of(address: str) -> str:
    return address.rsplit(":", 1)[0].strip("[]").removeprefix("::ffff:")


def test_ray_binds_and_dials_loopback_only(ray_server: LiveServer) -> None:
    with ray_server.client() as client:
        assert client.post("/v1/ent/vader/1/sentiment", json={"input": "fine"}).status_code == 200
    sockets = ray_sockets()
    assert sockets, "no Ray process found"
    # Every socket's own address is loopback (a listener on * would take the machine's address),
    # and so is every peer (a listener's peer is "any": `0.0.0.0:*`).
    addresses = [(name, address) for name, local, peer in sockets for address in (local, peer)]
    outside = [
        (name, address)
        for name, address in addresses
        if not address.endswith(":*") and not ipaddress.ip_address(host_of(address)).is_loopback
    ]
    assert not outside, outside
    wildcard = [(name, local) for name, local, _ in sockets if host_of(local) in ("*", "0.0.0.0", "::")]
    assert not wildcard, wildcard


def test_two_gateways_on_one_database_and_one_cluster_serve_the_same_things(tmp_path: Path) -> None:
    with fresh_postgres_database() as database_url:
        env = {"TYPESERVE_DATABASE_URL": database_url, **ray_engine_env(f"shared{time.monotonic_ns() % 10**8}")}
        first = start_server(tmp_path / "a", env)
        second = start_server(tmp_path / "b", env)
        try:
            with first.client() as a:
                key = a.post("/v1/apikeys", json={"name": "shared"}).json()["secret"]
            bearer = {"Authorization": f"Bearer {key}"}  # the second gateway printed no key of its own
            added = first.cli("models", "add", str(tiny_model("bert-text-classification")), "--id", "local/1/shared-tc")
            assert added.returncode == 0, added.stderr
            with first.client(key) as a, second.client(key) as b:
                assert a.post("/v1/ent/local/1/shared-tc", json={"input": "hello"}).status_code == 200
                # The second gateway knows the key and the model, and sees the first one's deployment.
                answer = b.post("/v1/ent/local/1/shared-tc", json={"input": "hello"})
                assert answer.status_code == 200, answer.text
                assert answer.json() == a.post("/v1/ent/local/1/shared-tc", json={"input": "hello"}).json()
            assert "deploying local/1/shared-tc" not in second.log  # it reused the running pool
            with second.client() as b_admin:
                card = poll_card(b_admin, "vader/1/sentiment", lambda c: c["status"] == "installed")
                assert card["status"] == "installed"
            with first.client() as a_admin:
                assert a_admin.post("/v1/models/vader/1/sentiment/load").status_code == 200
            with second.client() as b_admin:
                card = poll_card(b_admin, "vader/1/sentiment", lambda c: c["status"] == "loaded")
                assert card["status"] == "loaded"  # loaded through the first gateway, seen by the second
                assert (
                    b_admin.post("/v1/ent/vader/1/sentiment", json={"input": "fine"}, headers=bearer).status_code == 200
                )
            with first.client() as a_admin:
                assert a_admin.post("/v1/models/vader/1/sentiment/unload").json()["unloaded"] is True
            with second.client() as b_admin:
                card = poll_card(b_admin, "vader/1/sentiment", lambda c: c["status"] == "installed")
                assert card["status"] == "installed"  # unloaded through the first, for every gateway
                assert (
                    b_admin.post("/v1/ent/vader/1/sentiment", json={"input": "back"}, headers=bearer).status_code == 200
                )
        finally:
            second.stop()
            first.stop()


def poll_card(client: httpx.Client, model_id: str, done: Any, seconds: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        card: dict[str, Any] = client.get(f"/v1/models/{model_id}").json()
        if done(card) or time.monotonic() > deadline:
            return card
        time.sleep(0.5)
