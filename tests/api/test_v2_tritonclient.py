"""Triton's own HTTP client speaks the Open Inference Protocol v2 to typeserve: health, server
and model metadata, readiness, and infer with BYTES tensors for text and media, in Triton's
binary tensor form (the client's default) and in plain JSON; same keys, metering and
problems as the native route. Model names are ids with `/` written `~`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import tritonclient.http as triton
from tritonclient.utils import InferenceServerException

from tests.support.server import LiveServer
from tests.support.usage import metered

VADER = "vader~1~sentiment"
QA = "sentence-transformers~1~minilm-answer-selection"


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[triton.InferenceServerClient]:
    made = triton.InferenceServerClient(url=server.base_url.removeprefix("http://"), network_timeout=120)
    yield made
    made.close()


@pytest.fixture
def auth(server: LiveServer) -> dict[str, str]:
    # A fresh dict per test: tritonclient writes its own headers into the dict it is given.
    return {"Authorization": f"Bearer {server.admin_key}"}


def bytes_input(name: str, values: list[bytes], binary: bool = True) -> triton.InferInput:
    tensor = triton.InferInput(name, [len(values)], "BYTES")
    tensor.set_data_from_numpy(np.array(values, dtype=np.object_), binary_data=binary)
    return tensor


def outputs_json(result: Any) -> list[dict[str, Any]]:
    return [json.loads(element) for element in result.as_numpy("output").reshape(-1)]


def test_health_and_server_metadata(client: triton.InferenceServerClient) -> None:
    assert client.is_server_live() and client.is_server_ready()
    assert client.get_server_metadata()["name"] == "typeserve"


def test_model_metadata_and_readiness(client: triton.InferenceServerClient, auth: dict[str, str]) -> None:
    metadata = client.get_model_metadata(VADER, headers=auth)
    assert metadata["name"] == VADER and metadata["parameters"]["typeserveId"] == "vader/1/sentiment"
    assert metadata["inputs"] == [{"name": "input", "datatype": "BYTES", "shape": [-1]}]
    assert metadata["outputs"] == [{"name": "output", "datatype": "BYTES", "shape": [-1]}]
    assert client.is_model_ready(VADER, headers=auth)
    assert client.is_model_ready(VADER, model_version="1", headers=auth)
    assert not client.is_model_ready(VADER, model_version="7", headers=auth)
    qa = client.get_model_metadata(QA, headers=auth)
    assert [i["name"] for i in qa["inputs"]] == ["question", "context"]


def test_infer_text_in_binary_and_json(client: triton.InferenceServerClient, auth: dict[str, str]) -> None:
    result = client.infer(VADER, [bytes_input("input", [b"I love this!", b"I hate this."])], headers=dict(auth))
    assert [o["labels"][0]["label"] for o in outputs_json(result)] == ["POSITIVE", "NEGATIVE"]
    as_json = client.infer(
        VADER,
        [bytes_input("input", [b"I love this!"], binary=False)],
        outputs=[triton.InferRequestedOutput("output", binary_data=False)],
        headers=auth,
        parameters={"topK": 1},
    )
    assert outputs_json(as_json) == [{"labels": [outputs_json(result)[0]["labels"][0]]}]


def test_infer_question_answering(client: triton.InferenceServerClient, auth: dict[str, str]) -> None:
    context = b"My name is Wolfgang and I live in Berlin."
    inputs = [bytes_input("question", [b"Where do I live?"]), bytes_input("context", [context])]
    (answer,) = outputs_json(client.infer(QA, inputs, headers=auth, parameters={"topK": 2}))
    assert 1 <= len(answer["answers"]) <= 2
    best = answer["answers"][0]
    assert context.decode()[best["start"] : best["end"]] == best["answer"]


def test_infer_media_as_bytes(
    client: triton.InferenceServerClient, auth: dict[str, str], astronaut_jpeg: bytes, server: LiveServer
) -> None:
    result = client.infer("opencv/1/haarcascade-frontalface", [bytes_input("image", [astronaut_jpeg])], headers=auth)
    (detections,) = outputs_json(result)
    assert detections["width"] == 512 and detections["detections"], detections
    with server.client() as native:
        same = native.post(
            "/v1/ent/opencv/1/haarcascade-frontalface", content=astronaut_jpeg, headers={"Content-Type": "image/jpeg"}
        )
    assert same.json() == detections


def test_errors_are_problems(client: triton.InferenceServerClient, auth: dict[str, str]) -> None:
    with pytest.raises(InferenceServerException) as unknown:
        client.infer("nobody~1~nothing", [bytes_input("input", [b"hi"])], headers=auth)
    assert unknown.value.status() == "404"
    with pytest.raises(InferenceServerException) as unauthenticated:
        client.infer(VADER, [bytes_input("input", [b"hi"])])
    assert unauthenticated.value.status() == "401"
    with pytest.raises(InferenceServerException) as misnamed:
        client.infer(VADER, [bytes_input("text", [b"hi"])], headers=auth)
    assert misnamed.value.status() == "422" and "input" in str(misnamed.value)


def test_v2_infer_is_metered(server: LiveServer) -> None:
    request = {"inputs": [{"name": "input", "datatype": "BYTES", "shape": [3], "data": ["good", "bad", "fine"]}]}
    with server.client() as native:
        response = native.post(f"/v2/models/{VADER}/infer", json=request)
    assert response.status_code == 200, response.text
    (output,) = response.json()["outputs"]
    assert output["shape"] == [3] and output["datatype"] == "BYTES"
    assert metered(server, response.headers["X-Request-Id"]) == ("vader/1/sentiment", "cpuflex", 200, 3)


def test_infer_embeddings_as_fp32(
    client: triton.InferenceServerClient, auth: dict[str, str], server: LiveServer
) -> None:
    with server.client() as native:
        response = native.get("/v1/models", params={"type": "feature-extraction"})
    models = [m["id"] for m in response.json()["models"]] if response.status_code == 200 else []
    if not models:
        pytest.skip("no feature-extraction model in this catalog")
    name = models[0].replace("/", "~")
    metadata = client.get_model_metadata(name, headers=dict(auth))
    assert {"name": "embedding", "datatype": "FP32", "shape": [-1, -1]} in metadata["outputs"]
    result = client.infer(name, [bytes_input("input", [b"a cat", b"a dog"])], headers=dict(auth))
    vectors = result.as_numpy("embedding")
    assert vectors.dtype == np.float32 and vectors.shape[0] == 2 and vectors.shape[1] > 10
    with server.client() as native:
        direct = native.post(f"/v1/ent/{models[0]}", json={"input": "a cat"}).json()["embedding"]
    assert vectors[0].tolist() == pytest.approx(direct, abs=1e-6)
