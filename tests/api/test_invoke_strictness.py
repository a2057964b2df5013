"""What the fuzzing found, pinned down: requests the OpenAPI document calls invalid are refused
with a 422 naming the problem, not served with a silent default."""

from __future__ import annotations

from tests.support.http import b64
from tests.support.server import LiveServer


def test_empty_service_tier_is_refused(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/v1/ent/vader/1/sentiment?serviceTier=", json={"input": "fine"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [{"field": "serviceTier", "message": "must be one of cpuflex, gpuflex"}]


def test_unknown_query_parameter_is_refused(server: LiveServer, astronaut_jpeg: bytes) -> None:
    with server.client() as client:
        typo = client.post("/v1/ent/vader/1/sentiment?servicetier=gpuflex", json={"input": "fine"})
        option = client.post(
            "/v1/ent/opencv/1/haarcascade-frontalface?threshold=0.5",
            content=astronaut_jpeg,
            headers={"Content-Type": "image/jpeg"},
        )
    assert typo.status_code == 422 and typo.json()["errors"][0]["field"] == "servicetier"
    assert "serviceTier" in typo.json()["detail"]
    assert option.status_code == 200, option.text  # the type's own query options stay accepted


def test_media_reference_takes_exactly_one_non_null_field(server: LiveServer, astronaut_jpeg: bytes) -> None:
    with server.client() as client:
        for image_ref in ({}, {"Bytes": None, "URL": "https://example.com/a.jpg"}, {"Bytes": None}):
            response = client.post("/v1/ent/opencv/1/haarcascade-eye", json={"imageRef": image_ref})
            assert response.status_code == 422, (image_ref, response.text)
            assert "exactly one of Bytes or URL" in response.json()["detail"]
        ok = client.post("/v1/ent/opencv/1/haarcascade-eye", json={"imageRef": {"Bytes": b64(astronaut_jpeg)}})
    assert ok.status_code == 200, ok.text
