"""API keys at the door of the invoke route and the /v1/apikeys API, against a live server."""

from __future__ import annotations

import time

import httpx

from tests.support.http import VADER, assert_problem
from tests.support.server import LiveServer


def call(server: LiveServer, key: str | None, path: str = VADER) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.post(server.base_url + path, json={"input": "nice"}, headers=headers, timeout=30)


def test_missing_malformed_and_unknown_keys_are_401_with_challenge(server: LiveServer) -> None:
    for response in (
        call(server, None),
        call(server, "garbage"),
        call(server, "tsk_000000000000_" + "A" * 43),
        httpx.post(server.base_url + VADER, json={"input": "x"}, headers={"Authorization": "Basic dTpw"}),
    ):
        assert_problem(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_key_lifecycle_over_the_api(server: LiveServer) -> None:
    with server.client() as admin:
        created = admin.post("/v1/apikeys", json={"name": "ci", "scopes": ["invoke"]})
        assert created.status_code == 201, created.text
        key = created.json()
        assert key["secret"].startswith(key["prefix"] + "_")
        assert call(server, key["secret"]).status_code == 200
        listed = admin.get("/v1/apikeys").json()["keys"]
        assert any(k["id"] == key["id"] and "secret" not in k for k in listed)
        assert admin.delete(f"/v1/apikeys/{key['id']}").json()["revokedAt"]
    assert_problem(call(server, key["secret"]), 401)  # revoked through the API: refused at once


def test_key_without_invoke_scope_is_403(server: LiveServer) -> None:
    with server.client() as admin:
        secret = admin.post("/v1/apikeys", json={"name": "managers only", "scopes": ["keys:manage"]}).json()["secret"]
    assert_problem(call(server, secret), 403, "forbidden")


def test_invoke_only_key_cannot_manage_keys(server: LiveServer) -> None:
    with server.client() as admin:
        secret = admin.post("/v1/apikeys", json={"name": "invoker"}).json()["secret"]
    with server.client(secret) as client:
        assert_problem(client.get("/v1/apikeys"), 403)
        assert_problem(client.post("/v1/apikeys", json={"name": "x"}), 403)


def test_bad_key_requests_are_422(server: LiveServer) -> None:
    with server.client() as admin:
        assert_problem(admin.post("/v1/apikeys", json={"name": "x", "scopes": ["root"]}), 422)
        assert_problem(admin.post("/v1/apikeys", json={"scopes": ["invoke"]}), 422)
        assert_problem(admin.post("/v1/apikeys", json={"name": "x", "expiresAt": "2001-01-01T00:00:00Z"}), 422)
        assert_problem(admin.delete("/v1/apikeys/doesnotexist"), 404)


def test_expired_key_is_401(server: LiveServer) -> None:
    with server.client() as admin:
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
        secret = admin.post("/v1/apikeys", json={"name": "short", "expiresAt": expires}).json()["secret"]
    assert call(server, secret).status_code == 200
    time.sleep(2.5)
    body = assert_problem(call(server, secret), 401)
    assert "expired" in body["detail"]


def test_cli_keys_work_at_once_against_a_running_server(server: LiveServer) -> None:
    created = server.cli("keys", "create", "--name", "from-cli", "--scope", "invoke")
    secret = created.stdout.strip().splitlines()[-1]
    assert call(server, secret).status_code == 200
    key_id = secret.split("_")[1]
    listed = server.cli("keys", "list", "--json").stdout
    assert key_id in listed and secret not in listed
    server.cli("keys", "revoke", key_id)
    time.sleep(1.2)  # another process revoked it: the server's key cache holds entries for 1 s
    assert_problem(call(server, secret), 401)
