"""The compatibility routes charge the same key limits as the native route, against the same
counters, with the same rate-limit headers and 429 problems."""

from __future__ import annotations

from tests.support.server import LiveServer


def test_one_items_budget_across_native_and_compatibility_routes(server: LiveServer) -> None:
    with server.client() as admin:
        created = admin.post("/v1/apikeys", json={"name": "compat-limited", "limits": {"itemsPerMinute": 6}})
    assert created.status_code == 201, created.text
    with server.client(created.json()["secret"]) as client:
        native = client.post("/v1/ent/vader/1/sentiment", json={"input": ["good", "bad"]})
        hf = client.post("/hf-inference/models/vader/1/sentiment", json={"inputs": ["good", "bad"]})
        request = {"inputs": [{"name": "input", "datatype": "BYTES", "shape": [2], "data": ["fine", "ok"]}]}
        v2 = client.post("/v2/models/vader~1~sentiment/infer", json=request)
        refused = client.post("/hf-inference/models/vader/1/sentiment", json={"inputs": "one more"})
    assert [r.status_code for r in (native, hf, v2)] == [200, 200, 200]
    assert all("RateLimit-Policy" in r.headers and "RateLimit" in r.headers for r in (native, hf, v2))
    assert refused.status_code == 429 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited" and "Retry-After" in refused.headers
    assert "RateLimit" in refused.headers
