"""Bad requests to the compatibility routes are problem+json 4xx naming what is wrong, never a
500, and the server keeps serving."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.server import LiveServer

HF = "/hf-inference/models/"
TRUNCATED_HEAD = b'{"inputs":[{"name":"input","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":6}}]}'

BAD_REQUESTS: list[tuple[str, str, dict[str, Any], int]] = [
    ("hf-no-inputs", HF + "vader/1/sentiment", {"json": {"text": "hi"}}, 422),
    ("hf-number-inputs", HF + "vader/1/sentiment", {"json": {"inputs": 5}}, 422),
    ("hf-parameters-not-object", HF + "vader/1/sentiment", {"json": {"inputs": "hi", "parameters": [1]}}, 422),
    ("hf-bad-top-k", HF + "vader/1/sentiment", {"json": {"inputs": "hi", "parameters": {"top_k": "many"}}}, 422),
    ("hf-qa-string", HF + "sentence-transformers/1/minilm-answer-selection", {"json": {"inputs": "hi"}}, 422),
    ("hf-not-json", HF + "vader/1/sentiment",
     {"content": b"{nope", "headers": {"Content-Type": "application/json"}}, 422),
    ("hf-bad-base64", HF + "google/1/efficientnet-lite0", {"json": {"inputs": "!!!", "parameters": {"top_k": 1}}}, 400),
    ("hf-undecodable-image", HF + "google/1/efficientnet-lite0", {"content": b"\x89PNG\r\n\x1a\nbroken"}, 400),
    ("hf-empty-raw", HF + "silero/1/vad", {"content": b""}, 422),
    ("hf-wrong-pipeline", HF + "vader/1/sentiment/pipeline/feature-extraction", {"json": {"inputs": "hi"}}, 404),
    ("openai-no-model", "/openai/v1/audio/transcriptions", {"data": {"x": "1"}, "files": {"file": ("a", b"x")}}, 422),
    ("openai-no-file", "/openai/v1/audio/transcriptions", {"data": {"model": "cmu/1/pocketsphinx-en-us"}}, 422),
    ("openai-bad-format", "/openai/v1/audio/transcriptions",
     {"data": {"model": "cmu/1/pocketsphinx-en-us", "response_format": "mp4"}, "files": {"file": ("a", b"RIFF")}}, 422),
    ("openai-json-list", "/openai/v1/audio/transcriptions", {"json": [1, 2]}, 422),
    ("openai-broken-form", "/openai/v1/audio/transcriptions",
     {"content": b"--xx\r\nnonsense", "headers": {"Content-Type": "multipart/form-data; boundary=xx"}}, 422),
    ("v2-no-inputs", "/v2/models/vader~1~sentiment/infer", {"json": {"outputs": []}}, 422),
    ("v2-not-json", "/v2/models/vader~1~sentiment/infer", {"content": b"\x00\x01"}, 422),
    ("v2-bad-header-length", "/v2/models/vader~1~sentiment/infer",
     {"content": b"{}", "headers": {"Inference-Header-Content-Length": "99"}}, 400),
    ("v2-truncated-bytes", "/v2/models/vader~1~sentiment/infer",
     {"content": TRUNCATED_HEAD + b"\x09\x00\x00\x00ab",
      "headers": {"Inference-Header-Content-Length": str(len(TRUNCATED_HEAD))}}, 400),
    ("v2-fp32-text", "/v2/models/vader~1~sentiment/infer",
     {"json": {"inputs": [{"name": "input", "datatype": "FP32", "shape": [1], "data": [1.0]}]}}, 422),
    ("v2-two-images", "/v2/models/google~1~efficientnet-lite0/infer",
     {"json": {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [2], "data": ["AA==", "AA=="]}]}}, 422),
    ("v2-unknown-model", "/v2/models/nobody~1~x/infer", {"json": {"inputs": []}}, 404),
]  # fmt: skip


@pytest.mark.parametrize(("route", "kwargs", "status"), [b[1:] for b in BAD_REQUESTS], ids=[b[0] for b in BAD_REQUESTS])
def test_bad_request_is_a_problem(server: LiveServer, route: str, kwargs: dict[str, Any], status: int) -> None:
    with server.client() as client:
        response = client.post(route, **kwargs)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["detail"] and problem["requestId"]
        assert client.post("/v1/ent/vader/1/sentiment", json={"input": "still fine"}).status_code == 200
