"""The hostile-input corpus: every field of every kind of request with nulls, wrong types,
huge values, malformed URLs and hosts, lying media and archives, each sent to one live
server. Every case must answer 4xx problem+json (never a 500, never a stack trace), and the
server must answer a normal request at once right after it (see tests/support/liveness.py)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.hostile_files import (
    wav_with_header,
    zip_marked_encrypted,
    zip_with_bad_crc,
    zip_with_lying_size,
    zip_with_method,
)
from tests.support.hostile_media_host import hostile_media_host
from tests.support.liveness import assert_still_answers_at_once
from tests.support.server import LiveServer, start_server

VADER = "/v1/ent/vader/1/sentiment"
FACES = "/v1/ent/opencv/1/haarcascade-frontalface"
VAD = "/v1/ent/silero/1/vad"
KEYS = "/v1/apikeys"
DATASETS = "/v1/datasets"
FETCH_TIMEOUT_S = 2
HOST_MEDIA = "{media}"  # replaced by the hostile media host's URL


@dataclass(frozen=True)
class Case:
    id: str
    path: str
    json: Any = None
    # Bytes, or a function making them when the case runs (big files are not made at collection).
    content: bytes | Callable[[], bytes] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "POST"
    # Peak memory the server may gain on this case (a bomb must not be inflated).
    max_growth_mb: int | None = None
    detail_has: str | None = None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def text_cases() -> list[Case]:
    bad_inputs: dict[str, Any] = {
        "null": None,
        "number": 42,
        "bool": True,
        "object": {"a": 1},
        "nested-list": [["a"]],
        "list-of-null": [None],
        "empty-list": [],
        "empty": "",
        "blank": "   \n\t",
        "too-many": ["x"] * 65,
        "over-max-chars": "x" * 100_001,
    }
    cases = [Case(f"text-input-{name}", VADER, {"input": value}) for name, value in bad_inputs.items()]
    for name, value in {"negative": -1, "huge": 10**30, "text": "many", "fraction": 1.5, "list": [1]}.items():
        cases.append(Case(f"text-topK-{name}", VADER, {"input": "ok", "topK": value}))
    cases += [
        Case("text-unknown-field", VADER, {"input": "ok", "inputs": "x"}),
        # The issue's case 1: a 99 KB text that froze the server for 27 s.
        Case("text-vader-99kb", VADER, {"input": "I love it! " * 9000}),
        Case("body-not-json", VADER, content=b"{nope", headers={"Content-Type": "application/json"}),
        Case("body-json-null", VADER, content=b"null", headers={"Content-Type": "application/json"}),
        Case("body-json-string", VADER, content=b'"input"', headers={"Content-Type": "application/json"}),
        Case("body-huge-number", VADER, content=b'{"input": "x", "topK": 1e99999}'),
        Case("body-deep-nesting", VADER, content=b'{"input": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        Case("body-bad-utf8", VADER, content=b'{"input": "\xff\xfe"}', headers={"Content-Type": "application/json"}),
        Case("body-nul", VADER, content=b'{"input": "a\\u0000b", "topK": null, "x": 1}'),
        Case("query-unknown", VADER + "?servicetier=gpuflex", {"input": "ok"}),
        Case("query-huge-tier", VADER + "?serviceTier=" + "g" * 5000, {"input": "ok"}),
        Case("auth-huge-bearer", VADER, {"input": "ok"}, headers={"Authorization": "Bearer " + "x" * 6000}),
        Case("auth-guessed-key", VADER, {"input": "ok"}, headers={"Authorization": "Bearer tsk_abc123_" + "A" * 43}),
        Case("auth-wrong-scheme", VADER, {"input": "ok"}, headers={"Authorization": "Basic YTpi"}),
    ]
    return cases


BAD_URLS = {
    "port-too-big": "http://a:99999/",
    "port-not-number": "http://a:abc/",
    "port-zero": "http://a:0/",
    "unclosed-bracket": "http://[::1/",
    "bad-ipv6": "http://[zzzz::1]/",
    "empty-label": "http://a..b/",
    "label-64": f"http://{'a' * 64}.example/",
    "host-300": "http://" + ".".join(["abcdefghij"] * 28) + "/",
    "no-host": "http:///x",
    "no-scheme": "example.com/cat.png",
    "ftp": "ftp://example.com/cat.png",
    "file": "file:///etc/passwd",
    "percent-host": "http://%zz/",
    "nul-host": "http://a\x00b/",
    "space-host": "http://a b/",
    "unresolvable": "http://nonexistent.invalid/cat.png",
    "redirect-to-bad-port": HOST_MEDIA + "/to-bad-port",
    "redirect-to-bad-host": HOST_MEDIA + "/to-bad-host",
    "redirect-loop": HOST_MEDIA + "/loop",
    "not-found": HOST_MEDIA + "/missing",
}


def media_ref_cases() -> list[Case]:
    refs: dict[str, Any] = {
        "url-null": {"URL": None},
        "bytes-null": {"Bytes": None},
        "both": {"Bytes": "AA==", "URL": "http://example.com/"},
        "neither": {},
        "url-number": {"URL": 5},
        "bytes-number": {"Bytes": 5},
        "bytes-not-base64": {"Bytes": "%%%"},
        "bytes-not-image": {"Bytes": b64(b"definitely not an image")},
        "url-too-long": {"URL": "http://example.com/" + "a" * 5000},
        "extra-field": {"Bytes": "AA==", "Path": "/etc/passwd"},
    }
    cases = [Case(f"image-ref-{name}", FACES, {"imageRef": ref}) for name, ref in refs.items()]
    cases += [Case(f"image-{name}", FACES, {"imageRef": value}) for name, value in {"null": None, "text": "x"}.items()]
    cases += [Case(f"image-url-{name}", FACES, {"imageRef": {"URL": url}}) for name, url in BAD_URLS.items()]
    cases += [
        Case("image-threshold-text", FACES, {"imageRef": {"Bytes": "AA=="}, "threshold": "high"}),
        Case("image-threshold-huge", FACES, {"imageRef": {"Bytes": "AA=="}, "threshold": 1e308}),
        # The issue's case 10: a few KB of `gzip, gzip` inflating to 256 MB (the cap is 20 MB).
        Case("image-url-gzip-bomb", FACES, {"imageRef": {"URL": HOST_MEDIA + "/bomb"}}, max_growth_mb=200),
        # The issue's case 11: a header line every 0.3 s must not outlast the fetch's deadline.
        Case(
            "image-url-trickled-headers",
            FACES,
            {"imageRef": {"URL": HOST_MEDIA + "/trickle"}},
            detail_has=f"longer than {FETCH_TIMEOUT_S} s",
        ),
        Case("audio-ref-url-null", VAD, {"audioRef": {"URL": None}}),
        Case("audio-ref-null", VAD, {"audioRef": None}),
        Case("audio-bytes-null", VAD, {"Bytes": None}),
        Case("audio-bytes-number", VAD, {"Bytes": 7}),
        Case("audio-both", VAD, {"Bytes": "AA==", "audioRef": {"Bytes": "AA=="}}),
        Case("audio-url-port-too-big", VAD, {"audioRef": {"URL": "http://a:99999/"}}),
        Case("audio-bytes-not-audio", VAD, {"Bytes": b64(b"RIFF....WAVEfmt nonsense")}),
    ]
    return cases


def audio_header_cases() -> list[Case]:
    """The issue's case 2: WAV headers with impossible sample rates or channel counts."""
    headers = {
        "rate-2^31-1": {"rate": 2**31 - 1},
        "rate-999983": {"rate": 999_983},
        "rate-1": {"rate": 1},
        "rate-0": {"rate": 0},
        "channels-0": {"channels": 0},
        "channels-1000": {"channels": 1000},
    }
    cases = [
        Case(f"audio-wav-{name}", VAD, content=wav_with_header(**patch), headers={"Content-Type": "audio/wav"})
        for name, patch in headers.items()
    ]
    cases.append(Case("audio-wav-rate-1-json", VAD, {"Bytes": b64(wav_with_header(rate=1))}))
    return cases


def key_cases() -> list[Case]:
    bodies: dict[str, Any] = {
        "name-spaces": {"name": " " * 100},
        "name-too-long": {"name": "k" * 101},
        "name-null": {"name": None},
        "name-number": {"name": 5},
        "name-control-chars": {"name": "bad\x00name"},
        "expiry-year-9999-west": {"name": "k", "expiresAt": "9999-12-31T23:59:59-12:00"},
        "expiry-year-1-east": {"name": "k", "expiresAt": "0001-01-01T00:00:00+14:00"},
        "expiry-naive": {"name": "k", "expiresAt": "2999-01-01T00:00:00"},
        "expiry-past": {"name": "k", "expiresAt": "2001-01-01T00:00:00Z"},
        "expiry-text": {"name": "k", "expiresAt": "tomorrow"},
        "expiry-huge-number": {"name": "k", "expiresAt": 1e30},
        "scopes-unknown": {"name": "k", "scopes": ["root"]},
        "scopes-null-item": {"name": "k", "scopes": [None]},
        "scopes-string": {"name": "k", "scopes": "invoke"},
        "scopes-many": {"name": "k", "scopes": ["invoke"] * 100},
        "body-list": [1, 2],
    }
    cases = [Case(f"keys-{name}", KEYS, body) for name, body in bodies.items()]
    cases += [
        Case("keys-revoke-unknown-long-id", KEYS + "/" + "z" * 300, method="DELETE"),
        Case("keys-revoke-nul-id", KEYS + "/%00", method="DELETE"),
    ]
    return cases


def dataset_cases() -> list[Case]:
    zip_type = {"Content-Type": "application/zip"}
    csv_type = {"Content-Type": "text/csv"}
    return [
        # The issue's case 6: zips that lie.
        Case("dataset-zip-bad-crc", DATASETS, content=zip_with_bad_crc(), headers=zip_type),
        Case("dataset-zip-lying-size", DATASETS, content=zip_with_lying_size, headers=zip_type, max_growth_mb=150),
        Case("dataset-zip-method-99", DATASETS, content=zip_with_method(99), headers=zip_type),
        Case("dataset-zip-encrypted", DATASETS, content=zip_marked_encrypted(), headers=zip_type),
        Case("dataset-zip-not-a-zip", DATASETS, content=b"PK\x03\x04 not really", headers=zip_type),
        # The issue's case 12: a 45 MB CSV of one-character rows (counted as parsed).
        Case(
            "dataset-csv-45mb-rows",
            DATASETS,
            content=lambda: b"a\n" + b"x\n" * 22_500_000,
            headers=csv_type,
            max_growth_mb=600,
        ),
        Case("dataset-csv-no-header", DATASETS, content=b"", headers=csv_type),
        Case("dataset-csv-not-utf8", DATASETS, content=b"a\n\xff\xfe\n", headers=csv_type),
        Case("dataset-jsonl-not-objects", DATASETS, content=b"[1]\n", headers={"Content-Type": "application/x-ndjson"}),
        Case("dataset-unknown-type", DATASETS, content=b"x", headers={"Content-Type": "application/pdf"}),
        Case("experiment-junk", "/v1/experiments", {"type": None, "models": "all", "dataset": 5}),
    ]


def without_urls(value: Any) -> Any:
    """An example request with its media URLs (not reachable from tests) made inline bytes."""
    if isinstance(value, dict):
        return {"Bytes": "AA=="} if "URL" in value else {k: without_urls(v) for k, v in value.items()}
    return value


def type_field_cases() -> list[Case]:
    """Every field of every model type (on the first catalog model of the type) replaced by a
    value of a shape no field takes: an object where a scalar or list belongs, a list of nulls,
    and for the object fields (media refs) a list or a bare string."""
    from typeserve.catalog import Catalog
    from typeserve.modeltypes import get_model_type

    first_of_type: dict[str, Any] = {}
    for spec in Catalog.default().all():
        first_of_type.setdefault(spec.type, spec)
    cases = []
    for type_name, spec in sorted(first_of_type.items()):
        base = without_urls(spec.examples[0].request) if spec.examples else {}
        schema = get_model_type(type_name).Input.model_json_schema()
        for name, prop in schema.get("properties", {}).items():
            is_object = "$ref" in prop or prop.get("type") == "object"
            variants = {"list": [1], "string": "x"} if is_object else {"object": {"a": {"b": [1]}}, "nulls": [None]}
            for label, value in variants.items():
                body = {**base, name: value}
                cases.append(Case(f"type-{type_name}-{name}-{label}", f"/v1/ent/{spec.id}", body))
    return cases


CASES = type_field_cases() + text_cases() + media_ref_cases() + audio_header_cases() + key_cases() + dataset_cases()


@pytest.fixture(scope="module")
def media_host() -> Iterator[str]:
    with hostile_media_host() as url:
        yield url


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {"TYPESERVE_ALLOW_PRIVATE_URLS": "true", "TYPESERVE_URL_FETCH_TIMEOUT_S": str(FETCH_TIMEOUT_S)}
    live = start_server(tmp_path_factory.mktemp("hostile"), env)
    assert live.admin_key
    yield live
    live.stop()


@pytest.fixture(scope="module")
def client(hostile_server: LiveServer) -> Iterator[httpx.Client]:
    with hostile_server.client(timeout=30) as client:
        # Load the normal model and the models the cases reach before any case is timed.
        for path, body in ((VADER, {"input": "warm"}), (FACES, {"imageRef": {"Bytes": "AA=="}})):
            client.post(path, json=body)
        yield client


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def resolved(value: Any, media: str) -> Any:
    """The case's body with the media host's URL filled in."""
    if isinstance(value, str):
        return value.replace(HOST_MEDIA, media)
    if isinstance(value, dict):
        return {k: resolved(v, media) for k, v in value.items()}
    if isinstance(value, list):
        return [resolved(v, media) for v in value]
    return value


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_is_a_4xx_problem_and_the_server_keeps_answering(
    case: Case, hostile_server: LiveServer, client: httpx.Client, media_host: str
) -> None:
    before_mb = peak_rss_mb(hostile_server.process.pid)
    request: dict[str, Any] = {"headers": case.headers}
    if case.content is not None:
        request["content"] = case.content() if callable(case.content) else case.content
    elif case.json is not None or case.method == "POST":
        request["content"] = json.dumps(resolved(case.json, media_host)).encode()
        request["headers"] = {"Content-Type": "application/json", **case.headers}
    response = client.request(case.method, case.path, **request)

    assert 400 <= response.status_code < 500, f"{case.id}: {response.status_code} {response.text[:500]}"
    assert response.headers["content-type"].startswith("application/problem+json"), response.text[:300]
    problem = response.json()
    assert problem["status"] == response.status_code and problem["code"] and problem["detail"]
    assert "Traceback" not in response.text
    if case.detail_has:
        assert case.detail_has in problem["detail"], problem
    if case.max_growth_mb is not None:
        grown = peak_rss_mb(hostile_server.process.pid) - before_mb
        assert grown < case.max_growth_mb, f"{case.id}: the server's peak memory grew by {grown:.0f} MB"
    assert_still_answers_at_once(client)
