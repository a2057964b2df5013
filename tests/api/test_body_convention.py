"""One convention for JSON bodies on every JSON route (no Content-Type, curl's -d default and
application/json are JSON; anything else is a 415), error titles that say what the route
expected, and the invoke headers on errors too."""

from __future__ import annotations

import httpx
import pytest

from tests.support.server import LiveServer

FORM = {"Content-Type": "application/x-www-form-urlencoded"}  # what curl -d sends


def raw_post(server: LiveServer, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    # httpx would add a Content-Type for json=/data=; content= with explicit headers sends only these.
    return httpx.post(
        f"{server.base_url}{path}",
        content=body,
        headers={"Authorization": f"Bearer {server.admin_key}", **headers},
        timeout=60,
    )


@pytest.mark.parametrize("headers", [{}, FORM, {"Content-Type": "application/json"}, {"Content-Type": "text/plain"}])
def test_every_json_route_reads_a_body_without_json_content_type_as_json(
    server: LiveServer, headers: dict[str, str]
) -> None:
    key = raw_post(server, "/v1/apikeys", b'{"name": "curl -d", "scopes": ["invoke"]}', headers)
    assert key.status_code == 201, key.text
    invoke = raw_post(server, "/v1/ent/vader/1/sentiment", b'{"input": "nice"}', headers)
    assert invoke.status_code == 200, invoke.text
    rows = b'"dataset": {"rows": [{"input": "ok"}]}'
    body = b'{"name": "d", "type": "text-classification", "models": ["vader/1/sentiment"], ' + rows + b"}"
    experiment = raw_post(server, "/v1/experiments", body, headers)
    assert experiment.status_code == 202, experiment.text
    # Cancelled at once: the parametrized runs stay under the per-user running limit.
    httpx.delete(
        f"{server.base_url}/v1/experiments/{experiment.json()['id']}",
        headers={"Authorization": f"Bearer {server.admin_key}"},
        timeout=30,
    )


def test_other_content_types_are_415_on_every_json_route(server: LiveServer) -> None:
    for path in ("/v1/apikeys", "/v1/experiments", "/v1/ent/vader/1/sentiment"):
        answer = raw_post(server, path, b"<name>x</name>", {"Content-Type": "application/xml"})
        assert answer.status_code == 415, (path, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_error_titles_name_what_the_route_expected(server: LiveServer) -> None:
    key = raw_post(server, "/v1/apikeys", b'{"nam": "typo"}', FORM)
    assert key.status_code == 422
    assert key.json()["title"] == "Request does not match the API key schema"
    assert "name" in key.json()["detail"]
    experiment = raw_post(server, "/v1/experiments", b'{"type": "text-classification"}', FORM)
    assert experiment.status_code == 422
    assert experiment.json()["title"] == "Request does not match the experiment schema"
    invoke = raw_post(server, "/v1/ent/vader/1/sentiment", b'{"text": "x"}', FORM)
    assert invoke.json()["title"] == "Request does not match the model type's input schema"
    empty = raw_post(server, "/v1/apikeys", b"", {})
    assert empty.status_code == 422 and empty.json()["title"] == "Request body is empty"


def test_invoke_errors_carry_the_model_tier_and_timing_headers(server: LiveServer) -> None:
    unknown = raw_post(server, "/v1/ent/nobody/1/nothing", b'{"input": "x"}', {})
    assert unknown.status_code == 404
    assert unknown.headers["x-model-id"] == "nobody/1/nothing"
    assert unknown.headers["x-service-tier"] == "cpuflex"
    assert unknown.headers["server-timing"].startswith("total;dur=")
    assert unknown.headers["x-request-id"]
    gpu = raw_post(server, "/v1/ent/vader/1/sentiment?serviceTier=gpuflex", b'{"input": "x"}', {})
    if gpu.status_code == 503:  # a host without a GPU
        assert gpu.json()["code"] == "tier_unavailable"
        assert gpu.headers["x-service-tier"] == "gpuflex"
        assert gpu.headers["x-model-id"] == "vader/1/sentiment"
        assert gpu.headers["server-timing"].startswith("total;dur=")
    unauthorized = httpx.post(f"{server.base_url}/v1/ent/vader/1/sentiment", content=b"{}", timeout=30)
    assert unauthorized.status_code == 401 and unauthorized.headers["x-model-id"] == "vader/1/sentiment"
