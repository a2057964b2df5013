"""Hostile and malformed requests against the live server: each gets the right problem+json
answer, and the server keeps serving."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.support.http import FACES, VADER, assert_problem, b64
from tests.support.server import LiveServer


@pytest.fixture(autouse=True)
def server_still_serves(server: LiveServer):
    yield
    with server.client() as client:
        response = client.post(VADER, json={"input": "still here"})
    assert response.status_code == 200, "the server stopped serving after bad input"


def test_unknown_model_is_404(server: LiveServer) -> None:
    with server.client() as client:
        assert_problem(client.post("/v1/ent/nobody/1/nothing", json={"input": "x"}), 404, "unknown_model")


def test_unknown_service_tier_is_422(server: LiveServer) -> None:
    with server.client() as client:
        body = assert_problem(client.post(f"{VADER}?serviceTier=turbo", json={"input": "x"}), 422)
    assert "serviceTier" in body["detail"]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"{not json", "body"),
        (b"", "body"),
        (b"[1, 2]", "body"),
        (b'{"input": 42}', "input"),
        (b'{"input": "x", "topK": "many"}', "topK"),
        (b'{"text": "x"}', "input"),
        (b'{"input": []}', "input"),
    ],
)
def test_schema_violations_are_422_naming_the_field(server: LiveServer, content: bytes, field: str) -> None:
    with server.client() as client:
        body = assert_problem(client.post(VADER, content=content, headers={"Content-Type": "application/json"}), 422)
    assert any(error["field"].split(".")[0] == field for error in body["errors"]), body


def test_unsupported_media_type_is_415(server: LiveServer) -> None:
    with server.client() as client:
        assert_problem(client.post(VADER, content=b"\x89PNG", headers={"Content-Type": "image/png"}), 415)
        assert_problem(client.post(FACES, content=b"x", headers={"Content-Type": "application/xml"}), 415)


def test_bad_base64_is_400(server: LiveServer) -> None:
    with server.client() as client:
        assert_problem(client.post(FACES, json={"imageRef": {"Bytes": "%%%not-base64%%%"}}), 400, "bad_media")


def test_truncated_and_non_image_files_are_400(server: LiveServer, astronaut_jpeg: bytes) -> None:
    with server.client() as client:
        truncated = astronaut_jpeg[: len(astronaut_jpeg) // 3]
        assert_problem(client.post(FACES, json={"imageRef": {"Bytes": b64(truncated)}}), 400, "bad_media")
        assert_problem(client.post(FACES, content=b"hello world", headers={"Content-Type": "image/jpeg"}), 400)


def test_body_over_the_limit_is_413(server: LiveServer) -> None:
    oversized = b"x" * (21 * 1024 * 1024)
    with server.client() as client:
        assert_problem(client.post(FACES, content=oversized, headers={"Content-Type": "image/jpeg"}), 413)


def test_body_over_the_limit_is_refused_before_it_is_read(server: LiveServer) -> None:
    """Only the headers are sent: the answer comes without the server waiting for 1 GB."""
    import socket

    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            (
                f"POST {FACES} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {server.admin_key}\r\n"
                "Content-Type: image/jpeg\r\nContent-Length: 1000000000\r\n\r\n"
            ).encode()
        )
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer


def test_image_over_the_pixel_limit_is_413(server: LiveServer) -> None:
    buffer = io.BytesIO()
    Image.new("L", (12_000, 12_000)).save(buffer, "PNG")  # a small file, 144 megapixels decoded
    with server.client() as client:
        assert_problem(client.post(FACES, content=buffer.getvalue(), headers={"Content-Type": "image/png"}), 413)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/x.jpg",
        "http://10.0.0.7/x.jpg",
        "http://[::1]/x.jpg",
        "http://169.254.169.254/latest",
        "http://localhost/x.jpg",
        "file:///etc/passwd",
        "gopher://10.0.0.1/",
    ],
)
def test_urls_to_internal_addresses_are_400(server: LiveServer, url: str) -> None:
    with server.client() as client:
        assert_problem(client.post(FACES, json={"imageRef": {"URL": url}}), 400)


def test_both_or_neither_media_field_is_422(server: LiveServer) -> None:
    with server.client() as client:
        assert_problem(client.post(FACES, json={"imageRef": {}}), 422)
        assert_problem(client.post(FACES, json={"imageRef": {"Bytes": "AA==", "URL": "https://example.com"}}), 422)


def test_list_input_answers_results_in_order(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post(VADER, json={"input": ["I love it", "I hate it", "It is a chair"]})
    assert response.status_code == 200
    top = [result["labels"][0]["label"] for result in response.json()["results"]]
    assert top == ["POSITIVE", "NEGATIVE", "NEUTRAL"]
    with server.client() as client:
        assert_problem(client.post(VADER, json={"input": ["x"] * 65}), 422)


def test_gpuflex_without_gpu_is_503_tier_unavailable(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post(f"{VADER}?serviceTier=gpuflex", json={"input": "x"})
    body = assert_problem(response, 503, "tier_unavailable")
    assert "no GPU" in body["detail"]
    assert response.headers["Retry-After"]
