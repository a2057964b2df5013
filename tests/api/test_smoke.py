"""The README's first two calls, against a real server."""

from tests.support.http import b64
from tests.support.server import LiveServer


def test_vader_answers_positive_with_headers(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/v1/ent/vader/1/sentiment", json={"input": "I love this product!"})
    assert response.status_code == 200, response.text
    labels = response.json()["labels"]
    assert labels[0]["label"] == "POSITIVE"
    assert all(0.0 <= label["score"] <= 1.0 for label in labels)
    assert response.headers["X-Model-Id"] == "vader/1/sentiment"
    assert response.headers["X-Service-Tier"] == "cpuflex"
    assert response.headers["X-Request-Id"]
    assert "inference;dur=" in response.headers["Server-Timing"]


def test_haar_face_found_in_astronaut(server: LiveServer, astronaut_jpeg: bytes) -> None:
    with server.client() as client:
        as_json = client.post(
            "/v1/ent/opencv/1/haarcascade-frontalface", json={"imageRef": {"Bytes": b64(astronaut_jpeg)}}
        )
        as_raw = client.post(
            "/v1/ent/opencv/1/haarcascade-frontalface", content=astronaut_jpeg, headers={"Content-Type": "image/jpeg"}
        )
    for response in (as_json, as_raw):
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["width"], body["height"]) == (512, 512)
        [face] = body["detections"]
        box = face["box"]
        # Eileen Collins' face sits around x 180-270, y 65-160 in the astronaut image.
        assert 150 <= box["xmin"] < box["xmax"] <= 300 and 40 <= box["ymin"] < box["ymax"] <= 190
