"""The catalog as a developer browses it: types with their schemas, models, cards."""

from __future__ import annotations

from tests.support.http import assert_problem
from tests.support.server import LiveServer

NINE_TYPES = {
    "text-classification",
    "fill-mask",
    "summarization",
    "translation",
    "question-answering",
    "image-classification",
    "image-object-detection",
    "audio-classification",
    "automatic-speech-recognition",
}
MEDIA_TYPES = {"image-to-text", "text-to-speech"}
NEW_TEXT_TYPES = {"feature-extraction", "token-classification", "zero-shot-classification"}


def test_all_nine_types_with_input_and_output_schemas(server: LiveServer) -> None:
    with server.client() as client:
        types = {t["name"]: t for t in client.get("/v1/types").json()["types"]}
    assert set(types) == NINE_TYPES | MEDIA_TYPES | NEW_TEXT_TYPES  # fourteen types
    for model_type in types.values():
        assert model_type["input"]["type"] == "object" and model_type["output"]["type"] == "object"
        assert model_type["example"]["input"]
    assert "imageRef" in types["image-object-detection"]["input"]["properties"]
    assert {"question", "context"} <= set(types["question-answering"]["input"]["required"])
    assert "detections" in types["image-object-detection"]["output"]["properties"]
    assert {"lines", "text"} <= set(types["image-to-text"]["output"]["properties"])
    assert {"audio", "contentType", "sampleRate", "durationS"} <= set(types["text-to-speech"]["output"]["properties"])


def test_one_type_and_unknown_type(server: LiveServer) -> None:
    with server.client() as client:
        one = client.get("/v1/types/fill-mask").json()
        assert one["name"] == "fill-mask" and "predictions" in one["output"]["properties"]
        assert_problem(client.get("/v1/types/telepathy"), 404)
        assert_problem(client.get("/v1/models?type=telepathy"), 404)


def test_search_by_type_vendor_and_text(server: LiveServer) -> None:
    with server.client() as client:
        detectors = client.get("/v1/models", params={"type": "image-object-detection"}).json()["models"]
        assert detectors and all(m["type"] == "image-object-detection" for m in detectors)
        opencv = client.get("/v1/models", params={"vendor": "opencv"}).json()["models"]
        assert {m["id"] for m in opencv} >= {"opencv/1/haarcascade-frontalface"}
        faces = client.get("/v1/models", params={"q": "frontal face"}).json()["models"]
        assert [m["id"] for m in faces] == ["opencv/1/haarcascade-frontalface"]


def test_model_card(server: LiveServer) -> None:
    with server.client() as client:
        card = client.get("/v1/models/vader/1/sentiment").json()
        gpu_card = client.get("/v1/models/google/1/efficientnet-lite0").json()
        assert_problem(client.get("/v1/models/nobody/1/nothing"), 404, "unknown_model")
    assert card["type"] == "text-classification" and card["runtime"] == "builtin"
    assert card["license"] == "MIT" and card["labels"] == ["POSITIVE", "NEGATIVE", "NEUTRAL"]
    assert card["apiUrls"]["cpuflex"] == f"{server.base_url}/v1/ent/vader/1/sentiment"
    assert "gpuflex" not in card["apiUrls"]  # VADER's code runs on the CPU only: no GPU tier to offer
    assert gpu_card["apiUrls"]["gpuflex"].endswith("/v1/ent/google/1/efficientnet-lite0?serviceTier=gpuflex")
    assert card["status"] in ("installed", "loaded")
    assert card["examples"][0]["request"] == {"input": "I love this product!"}


def test_health_and_readiness(server: LiveServer) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
