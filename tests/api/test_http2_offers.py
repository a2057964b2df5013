"""Clients that offer HTTP/2 over http:// (an h2c upgrade: Java's `HttpClient` with its defaults,
`curl --http2`) get their request served in HTTP/1.1 with its body; HTTP/2 with prior
knowledge gets an HTTP/2 GOAWAY saying HTTP/1.1 is required, and the server keeps serving."""

from __future__ import annotations

import json
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.server import LiveServer

JAVA_SOURCE = Path(__file__).parent / "java" / "DefaultClientInvoke.java"
MODEL_URL = "/v1/ent/vader/1/sentiment"
BODY = json.dumps({"input": "I love this product!"})
OFFER_HEADERS = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"


def needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")


def curl(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    needs("curl")
    auth = f"Authorization: Bearer {server.admin_key}"
    command = ["curl", "-sS", "-v", "-H", auth, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_java_http_client_defaults_get_answers(server: LiveServer, tmp_path: Path) -> None:
    needs("javac")
    subprocess.run(["javac", "-d", str(tmp_path), str(JAVA_SOURCE)], check=True, timeout=120)
    run = subprocess.run(
        ["java", "-cp", str(tmp_path), "DefaultClientInvoke", server.base_url + MODEL_URL, str(server.admin_key), BODY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "200 HTTP_1_1" and lines[2] == "200 HTTP_1_1", run.stdout
    for answer in (lines[1], lines[3]):
        assert json.loads(answer)["labels"][0]["label"] == "POSITIVE"


@pytest.mark.parametrize("framing", [(), ("-H", "Transfer-Encoding: chunked")], ids=["content-length", "chunked"])
def test_curl_http2_offer_keeps_the_body(server: LiveServer, framing: tuple[str, ...]) -> None:
    run = curl(
        server, "--http2", "-H", "Content-Type: application/json", *framing, "-d", BODY, server.base_url + MODEL_URL
    )
    assert "Upgrade: h2c" in run.stderr, "curl did not make the offer this test is about"
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["labels"][0]["label"] == "POSITIVE"


def read_answers(sock: socket.socket, count: int) -> bytes:
    received = b""
    deadline = time.monotonic() + 30
    while received.count(b"HTTP/1.1 ") < count or not received.rstrip().endswith(b"}"):
        assert time.monotonic() < deadline, received
        chunk = sock.recv(65536)
        assert chunk, received
        received += chunk
    return received


def test_offer_with_body_in_later_packets_and_keep_alive(server: LiveServer) -> None:
    """The head, the body and a second request arrive in separate writes on one connection."""
    host = server.base_url.removeprefix("http://")
    head = (
        f"POST {MODEL_URL} HTTP/1.1\r\nHost: {host}\r\n{OFFER_HEADERS}Authorization: Bearer {server.admin_key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(BODY)}\r\n\r\n"
    ).encode()
    second = f"POST {MODEL_URL} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {server.admin_key}\r\n"
    second += f"Content-Type: application/json\r\nContent-Length: {len(BODY)}\r\n\r\n{BODY}"
    ip, port = host.split(":")
    with socket.create_connection((ip, int(port)), timeout=30) as sock:
        for part in (head[:40], head[40:], BODY[:10].encode(), BODY[10:].encode() + second.encode()):
            sock.sendall(part)
            time.sleep(0.05)
        answers = read_answers(sock, 2)
    assert answers.count(b"HTTP/1.1 200 OK") == 2, answers
    assert answers.count(b'"label":"POSITIVE"') == 2, answers


def test_http2_prior_knowledge_is_refused_in_http2(server: LiveServer) -> None:
    run = curl(server, "--http2-prior-knowledge", server.base_url + "/v1/types")
    assert run.returncode != 0
    assert "GOAWAY" in run.stderr and "error=13" in run.stderr, run.stderr  # 13: HTTP_1_1_REQUIRED
    ip, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((ip, int(port)), timeout=10) as sock:
        sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        frames = b""
        while chunk := sock.recv(4096):
            frames += chunk
    settings_length = int.from_bytes(frames[0:3], "big")
    goaway = frames[9 + settings_length :]
    assert frames[3] == 0x4 and goaway[3] == 0x7  # SETTINGS, then GOAWAY
    _, error_code = struct.unpack(">II", goaway[9:17])
    assert error_code == 0xD
    assert b"HTTP/1.1" in goaway[17:]
    with server.client() as client:
        assert client.get("/v1/types").status_code == 200
