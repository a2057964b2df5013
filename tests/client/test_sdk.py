"""The Python SDK against a live server: typed methods per type, typed problem+json errors,
retries that honour Retry-After, the async client, and `typeserve infer --url`."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import typeserve
from tests.support.server import LiveServer
from typeserve.client import (
    NO_RETRIES,
    AuthenticationError,
    NotFoundError,
    RetryPolicy,
    ServiceUnavailableError,
    ValidationFailedError,
)
from typeserve.engine.tiers import gpu_available
from typeserve.modeltypes.base import LabelsOutput
from typeserve.modeltypes.feature_extraction import FeatureExtractionOutput
from typeserve.modeltypes.image_object_detection import ObjectDetectionOutput
from typeserve.modeltypes.token_classification import TokenClassificationOutput


def test_client_is_exported_from_the_package(server: LiveServer) -> None:
    assert typeserve.Client.__name__ == "Client" and typeserve.AsyncClient.__name__ == "AsyncClient"


def test_typed_text_classification(server: LiveServer) -> None:
    with typeserve.Client(server.base_url, server.admin_key) as client:
        answer = client.text_classification("vader/1/sentiment", "I love this product!", top_k=2)
        raw = client.invoke("vader/1/sentiment", {"input": ["Great!", "Awful."]})
    with typeserve.Client(server.base_url, server.admin_key) as client:
        detailed = client.invoke_detailed("vader/1/sentiment", {"input": "Fine."})
    assert isinstance(answer, LabelsOutput)
    assert answer.labels[0].label == "POSITIVE" and len(answer.labels) == 2
    assert detailed.tier == "cpuflex" and detailed.model_id == "vader/1/sentiment" and detailed.request_id
    assert "inference;dur=" in (detailed.server_timing or "") and "labels" in detailed.body
    assert [r["labels"][0]["label"] for r in raw["results"]] == ["POSITIVE", "NEGATIVE"]


def test_typed_object_detection_from_path_and_bytes(server: LiveServer, astronaut_jpeg: bytes, tmp_path: Path) -> None:
    path = tmp_path / "astronaut.jpg"
    path.write_bytes(astronaut_jpeg)
    with typeserve.Client(server.base_url, server.admin_key) as client:
        from_path = client.object_detection("opencv/1/haarcascade-frontalface", image=path)
        from_bytes = client.object_detection("opencv/1/haarcascade-frontalface", astronaut_jpeg, threshold=0.0)
        raw = client.invoke("opencv/1/haarcascade-frontalface", content=astronaut_jpeg, content_type="image/jpeg")
    assert isinstance(from_path, ObjectDetectionOutput)
    assert (from_path.width, from_path.height) == (512, 512) and len(from_path.detections) == 1
    assert from_bytes == from_path and raw == from_path.model_dump(exclude_none=True)


def test_models_lists_the_catalog_by_type(server: LiveServer) -> None:
    with typeserve.Client(server.base_url, server.admin_key) as client:
        detectors = client.models(type="image-object-detection")
        card = client.model("vader/1/sentiment")
    assert detectors and {m["type"] for m in detectors} == {"image-object-detection"}
    assert card["id"] == "vader/1/sentiment"


def test_errors_are_typed_with_problem_fields(server: LiveServer) -> None:
    with (
        typeserve.Client(server.base_url, "tsk_0_wrong", retry=NO_RETRIES) as client,
        pytest.raises(AuthenticationError) as unauthorized,
    ):
        client.text_classification("vader/1/sentiment", "hi")
    assert unauthorized.value.status == 401 and unauthorized.value.code == "unauthorized"
    assert unauthorized.value.request_id
    with typeserve.Client(server.base_url, server.admin_key) as client:
        with pytest.raises(NotFoundError) as missing:
            client.text_classification("nobody/1/nothing", "hi")
        with pytest.raises(ValidationFailedError) as invalid:
            client.invoke("vader/1/sentiment", {"input": "hi", "topk": 3})
    assert missing.value.code == "unknown_model" and "nobody/1/nothing" in missing.value.detail
    assert invalid.value.status == 422 and any(e["field"] == "topk" for e in invalid.value.errors)


@pytest.mark.skipif(gpu_available(), reason="gpuflex is served on a machine with a GPU")
def test_retries_honour_retry_after(server: LiveServer) -> None:
    # Without a GPU and without TYPESERVE_GPUFLEX_FALLBACK, gpuflex is 503 with Retry-After: 60.
    # Retry-After is capped at 0.3 s here; plain backoff would wait only 0.01 + 0.02 s.
    policy = RetryPolicy(max_retries=2, backoff=0.01, max_retry_after=0.3)
    started = time.monotonic()
    with (
        typeserve.Client(server.base_url, server.admin_key, retry=policy) as client,
        pytest.raises(ServiceUnavailableError) as unavailable,
    ):
        client.text_classification("vader/1/sentiment", "hi", tier="gpuflex")
    elapsed = time.monotonic() - started
    assert unavailable.value.attempts == 3 and unavailable.value.code == "tier_unavailable"
    assert unavailable.value.retry_after == 60
    assert 0.6 <= elapsed < 10


@pytest.mark.skipif(gpu_available(), reason="gpuflex is served on a machine with a GPU")
def test_retry_succeeds_when_the_server_recovers(make_server: Callable[..., LiveServer]) -> None:
    """With the fallback configured, the same call succeeds without any retry."""
    live = make_server(env={"TYPESERVE_GPUFLEX_FALLBACK": "cpuflex"})
    with typeserve.Client(live.base_url, live.admin_key, retry=RetryPolicy(max_retries=0)) as client:
        answer = client.text_classification("vader/1/sentiment", "Nice.", tier="gpuflex")
    assert answer.labels[0].label == "POSITIVE"


def test_async_client(server: LiveServer, astronaut_jpeg: bytes) -> None:
    async def run() -> tuple[LabelsOutput, ObjectDetectionOutput, list[object]]:
        async with typeserve.AsyncClient(server.base_url, server.admin_key) as client:
            text, image = await asyncio.gather(
                client.text_classification("vader/1/sentiment", "I love this product!"),
                client.object_detection("opencv/1/haarcascade-frontalface", astronaut_jpeg),
            )
            models = await client.models(type="text-classification")
            with pytest.raises(NotFoundError):
                await client.invoke("nobody/1/nothing", {"input": "x"})
            return text, image, models

    text, image, models = asyncio.run(run())
    assert text.labels[0].label == "POSITIVE"
    assert len(image.detections) == 1 and models


def test_cli_infer_with_url_uses_the_server(server: LiveServer, astronaut_jpeg: bytes, tmp_path: Path) -> None:
    image = tmp_path / "astronaut.jpg"
    image.write_bytes(astronaut_jpeg)
    env_key = {"TYPESERVE_API_KEY": server.admin_key or ""}
    text = server.cli(
        "infer",
        "vader/1/sentiment",
        "--json",
        '{"input": "I love it"}',
        "--url",
        server.base_url,
        "--api-key",
        server.admin_key or "",
    )
    assert json.loads(text.stdout)["labels"][0]["label"] == "POSITIVE"
    server.env.update(env_key)
    try:
        face_model = "opencv/1/haarcascade-frontalface"
        detected = server.cli("infer", face_model, "--file", str(image), "--url", server.base_url)
        refused = server.cli(
            "infer",
            "vader/1/sentiment",
            "--json",
            '{"input": "x"}',
            "--url",
            server.base_url,
            "--api-key",
            "bad",
            check=False,
        )
    finally:
        for name in env_key:
            server.env.pop(name, None)
    assert json.loads(detected.stdout)["width"] == 512
    assert "on cpuflex" in detected.stderr  # the tier the server reports it served
    assert refused.returncode == 1 and "401" in refused.stderr


def test_typed_embedding_entity_and_zero_shot_methods(server: LiveServer) -> None:
    with typeserve.Client(server.base_url, server.admin_key) as client:
        embedding = client.feature_extraction("sentence-transformers/1/all-minilm-l6-v2", "The house is green.")
        entities = client.token_classification("spacy/1/en-core-web-sm", "Wolfgang lives in Berlin.")
        labels = client.zero_shot_classification(
            "sentence-transformers/1/minilm-zero-shot", "The team won the football match.", ["sports", "cooking"]
        )

    async def run() -> FeatureExtractionOutput:
        async with typeserve.AsyncClient(server.base_url, server.admin_key) as client:
            return await client.feature_extraction(
                "sentence-transformers/1/all-minilm-l6-v2", "The house is green.", normalize=False
            )

    unnormalized = asyncio.run(run())
    assert isinstance(embedding, FeatureExtractionOutput) and embedding.dimensions == 384
    assert isinstance(entities, TokenClassificationOutput)
    assert ("Berlin", "GPE") in {(e.word, e.entity) for e in entities.entities}
    assert [label.label for label in labels.labels] == ["sports", "cooking"]
    assert sum(v * v for v in unnormalized.embedding) > 1.5
